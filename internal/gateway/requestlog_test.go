package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log sink the server goroutines and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// --log-requests: all logs every call, errors only those answered 400 and
// up, off none; never the key.
func TestRequestLogModes(t *testing.T) {
	for _, tc := range []struct {
		mode             string
		wantOK, wantMiss bool
	}{
		{"all", true, true},
		{"errors", false, true},
		{"off", false, false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			mode, err := ParseRequestLogMode(tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			var log lockedBuffer
			f := newFixture(t, Options{Logger: slog.New(slog.NewTextHandler(&log, nil)), LogRequests: mode})
			f.expect(f.do("GET", "/admin/databases", nil), 200, "")
			f.expect(f.do("POST", "/api/db/missing/query", map[string]any{"sql": "SELECT 1"}), 404, "Database not found.")
			got := log.String()
			if ok := strings.Contains(got, "status=200"); ok != tc.wantOK {
				t.Errorf("200 logged: %v, want %v\n%s", ok, tc.wantOK, got)
			}
			if miss := strings.Contains(got, "status=404"); miss != tc.wantMiss {
				t.Errorf("404 logged: %v, want %v\n%s", miss, tc.wantMiss, got)
			}
			if strings.Contains(got, testKey) {
				t.Errorf("the key reached the log:\n%s", got)
			}
		})
	}
	if _, err := ParseRequestLogMode("some"); err == nil {
		t.Error("mode \"some\" accepted")
	}
}

// A request line carries exactly its fields, stamped with the time the
// request ended (taken from the request's own clock readings).
func TestRequestLineFields(t *testing.T) {
	var requests lockedBuffer
	f := newFixture(t, Options{RequestLog: &requests, RequestLogJSON: true})
	f.spawn("db")
	before := time.Now()
	f.expect(f.do("POST", "/api/db/db/query", map[string]any{"sql": "SELECT 1"}), 200, "")
	after := time.Now()
	var line map[string]any
	for l := range strings.SplitSeq(strings.TrimSpace(requests.String()), "\n") {
		if strings.Contains(l, `"pattern":"POST /api/db/{db}/query"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line == nil {
		t.Fatalf("no line for the query in\n%s", requests.String())
	}
	var keys []string
	for k := range line {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if got := strings.Join(keys, ","); got != "db,duration,level,method,msg,pattern,status,time" {
		t.Errorf("fields %s", got)
	}
	if line["db"] != "db" || line["method"] != "POST" || line["status"] != float64(200) || line["msg"] != "request" || line["level"] != "INFO" {
		t.Errorf("line %v", line)
	}
	stamp, err := time.Parse(time.RFC3339Nano, line["time"].(string))
	if err != nil || stamp.Before(before.Truncate(time.Millisecond)) || stamp.After(after) {
		t.Errorf("time %v not within the request [%v, %v]", line["time"], before, after)
	}
}

// slogLine is the line slog's handler writes for the record logRequest
// builds, the reference the gateway's own formatter must match.
func slogLine(json bool, end time.Time, method, pattern string, status int, elapsed time.Duration, db string) string {
	var b bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&b, nil)
	if json {
		h = slog.NewJSONHandler(&b, nil)
	}
	rec := slog.NewRecord(end, slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("method", method), slog.String("pattern", pattern), slog.Int("status", status),
		slog.Duration("duration", elapsed), slog.String("db", db))
	h.Handle(context.Background(), rec)
	return b.String()
}

// The gateway writes request lines itself; they are byte for byte what
// slog's text and JSON handlers write, hostile database names included
// (a name from the path may hold quotes, newlines, escapes, invalid UTF-8).
func TestRequestLineMatchesSlog(t *testing.T) {
	end := time.Date(2026, 12, 1, 17, 24, 51, 733265000, time.UTC)
	for _, db := range []string{"", "bench", "a b", "a=b", `q"uote`, `back\slash`, "new\nline", "\x1b[31mred", "tab\tx",
		"\xff\xfe", "ünï", "\u2028", "\u00a0nbsp", "del\x7f", "<html>&"} {
		for _, json := range []bool{false, true} {
			for _, elapsed := range []time.Duration{0, 19629, 4137857, 3 * time.Second} {
				want := slogLine(json, end, "POST", "POST /api/db/{db}/query", 200, elapsed, db)
				got := string(appendRequestLine(nil, json, end, "POST", "POST /api/db/{db}/query", 200, elapsed, db))
				if got != want {
					t.Errorf("json=%v db=%q:\n got %q\nwant %q", json, db, got, want)
				}
			}
		}
	}
	// the writer's path: lines of one second share its text, a new
	// second or zone is formatted again
	for _, json := range []bool{false, true} {
		var out bytes.Buffer
		var want strings.Builder
		lines := newRequestLines(&out, json)
		for i, at := range []time.Time{end, end.Add(time.Millisecond), end.Add(time.Second), end.In(time.FixedZone("Y", 3600)),
			end.In(time.FixedZone("Y", 3600)).Add(17 * time.Microsecond), end.Add(-time.Hour), end.Truncate(time.Second)} {
			pattern := []string{"POST /api/db/{db}/query", "(unmatched)"}[i%2]
			lines.write(at, "POST", pattern, 200, time.Duration(i), "d")
			want.WriteString(slogLine(json, at, "POST", pattern, 200, time.Duration(i), "d"))
		}
		if out.String() != want.String() {
			t.Errorf("writer, json=%v:\n got %q\nwant %q", json, out.String(), want.String())
		}
	}
	// whole milliseconds and a zone other than UTC
	local := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", -7*3600))
	for _, json := range []bool{false, true} {
		if got, want := string(appendRequestLine(nil, json, local, "GET", "(unmatched)", 404, time.Millisecond, "x")),
			slogLine(json, local, "GET", "(unmatched)", 404, time.Millisecond, "x"); got != want {
			t.Errorf("json=%v:\n got %q\nwant %q", json, got, want)
		}
	}
}

func FuzzRequestLine(f *testing.F) {
	f.Add("POST", "bench", int64(19629), int64(1764609891733265000))
	f.Add("GET", "a \"b\"\n\xff", int64(-1), int64(0))
	f.Fuzz(func(t *testing.T, method, db string, elapsed, unixNano int64) {
		end := time.Unix(0, unixNano).UTC()
		if y := end.Year(); y < 0 || y >= 10000 {
			return // slog's JSON handler reports such a time as an error
		}
		for _, json := range []bool{false, true} {
			want := slogLine(json, end, method, "POST /api/db/{db}/query", 200, time.Duration(elapsed), db)
			if got := string(appendRequestLine(nil, json, end, method, "POST /api/db/{db}/query", 200, time.Duration(elapsed), db)); got != want {
				t.Fatalf("json=%v:\n got %q\nwant %q", json, got, want)
			}
		}
	})
}

// With RequestLog set the gateway writes the lines itself, one Write per
// line, to that writer only.
func TestRequestLogWriterTakesRequestLines(t *testing.T) {
	var main, requests lockedBuffer
	f := newFixture(t, Options{Logger: slog.New(slog.NewTextHandler(&main, nil)), RequestLog: &requests})
	f.expect(f.do("GET", "/admin/databases", nil), 200, "")
	got := requests.String()
	if !strings.HasPrefix(got, "time=") || !strings.Contains(got, ` level=INFO msg=request method=GET pattern="GET /admin/databases" status=200 duration=`) ||
		!strings.HasSuffix(got, " db=\"\"\n") || strings.Contains(main.String(), "msg=request") {
		t.Fatalf("request log %q, main log %q", got, main.String())
	}
}
