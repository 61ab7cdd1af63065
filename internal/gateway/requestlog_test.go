package gateway

import (
	"bytes"
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

// With a RequestLogger the request lines go there and not to Logger.
func TestRequestLoggerTakesRequestLines(t *testing.T) {
	var main, requests lockedBuffer
	f := newFixture(t, Options{Logger: slog.New(slog.NewTextHandler(&main, nil)),
		RequestLogger: slog.New(slog.NewTextHandler(&requests, nil))})
	f.expect(f.do("GET", "/admin/databases", nil), 200, "")
	if !strings.Contains(requests.String(), "msg=request") || strings.Contains(main.String(), "msg=request") {
		t.Fatalf("request log %q, main log %q", requests.String(), main.String())
	}
}

// A request line carries exactly its fields, stamped with the time the
// request ended (taken from the request's own clock readings).
func TestRequestLineFields(t *testing.T) {
	var requests lockedBuffer
	f := newFixture(t, Options{RequestLogger: slog.New(slog.NewJSONHandler(&requests, nil))})
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
