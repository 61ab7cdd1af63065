package gateway

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
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
