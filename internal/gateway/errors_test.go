package gateway

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodyTooLarge(t *testing.T) {
	f := newFixture(t, Options{MaxBodyBytes: 1024})
	f.spawn("b")
	big := `{"sql": "SELECT ?", "params": ["` + strings.Repeat("x", 2000) + `"]}`
	r := f.do("POST", "/api/db/b/query", big)
	f.expect(r, 413, "")
	if r.code() != "PAYLOAD_TOO_LARGE" {
		t.Fatalf("code: %s", r.raw)
	}
	// without a Content-Length (chunked) the limit holds too
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/db/b/query", struct{ *strings.Reader }{strings.NewReader(big)})
	req.Header.Set("X-API-Key", f.key)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 || req.ContentLength != 0 {
		t.Fatalf("chunked: %d (content length %d)", resp.StatusCode, req.ContentLength)
	}
	f.expect(f.do("POST", "/api/db/b/query", map[string]any{"sql": "SELECT 1"}), 200, "")
}

func TestUnknownRouteAndMethod(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.do("GET", "/nope", nil)
	f.expect(r, 404, "Not found.")
	if r.code() != "NOT_FOUND" {
		t.Fatalf("404: %s", r.raw)
	}
	f.expect(f.do("GET", "/api/db/x/unknown", nil), 404, "")
	f.expect(f.do("GET", "/admin/databases/", nil), 404, "Not found.")
	f.expect(f.do("GET", "/admin//databases", nil), 400, "")
	// the mux would answer these with an HTML redirect to "/"
	for _, p := range []string{"//", "///", "//health"} {
		r := f.send(mustRequest(t, "GET", f.srv.URL+p))
		f.expect(r, 400, "Invalid request path: empty, '.' and '..' segments are not allowed.")
	}
	r = f.do("GET", "/api/db/x/query", nil)
	f.expect(r, 405, "Method not allowed.")
	if r.code() != "METHOD_NOT_ALLOWED" || !strings.Contains(r.header.Get("Allow"), "POST") {
		t.Fatalf("405: %v %s", r.header, r.raw)
	}
	f.expect(f.do("PUT", "/admin/databases", nil), 405, "")
}

func TestPanicRecovery(t *testing.T) {
	var logs bytes.Buffer
	eng := newFixture(t, Options{}).eng
	g := New(eng, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), AllowedHosts: []string{"example.com"}})
	g.handle("GET /test/panic", accessOpen, func(http.ResponseWriter, *http.Request) { panic("boom secret") })
	w := httptest.NewRecorder()
	g.ServeHTTP(w, httptest.NewRequest("GET", "/test/panic", nil))
	if w.Code != 500 || !strings.Contains(w.Body.String(), `"code":"INTERNAL"`) {
		t.Fatalf("panic: %d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "boom") || strings.Contains(w.Body.String(), "goroutine") {
		t.Fatal("the panic leaked to the client")
	}
	if !strings.Contains(logs.String(), "boom secret") || !strings.Contains(logs.String(), "goroutine") {
		t.Fatalf("the panic was not logged with its stack:\n%s", logs.String())
	}
	if g.byStatus[500].Load() != 1 {
		t.Fatal("the panic was not counted as a 500")
	}
	// the gateway keeps serving
	w = httptest.NewRecorder()
	g.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 200 {
		t.Fatalf("after panic: %d", w.Code)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	f := newFixture(t, Options{Version: "1.2.3"})
	f.spawn("h1")
	f.spawn("h2")
	f.do("POST", "/admin/databases/prune/h2", nil)
	f.exec("h1", "SELECT 1")
	r := f.doWith("GET", "/health", nil, nil)
	f.expect(r, 200, "")
	dbs := r.body["databases"].(map[string]any)
	checks := r.body["checks"].(map[string]any)
	if r.str("status") != "healthy" || r.str("version") != "1.2.3" || dbs["running"] != json.Number("1") || dbs["stopped"] != json.Number("1") ||
		checks["filesystem"] != "ok" {
		t.Fatalf("health: %s", r.raw)
	}

	r = f.do("GET", "/metrics", nil) // not public: metrics_access.go
	text := string(r.raw)
	for _, want := range []string{
		`dbforge_http_requests_total{route="POST /api/db/{db}/query",status="200"} 1`,
		`dbforge_http_request_duration_seconds_bucket{route="POST /admin/databases/spawn/{db}"`,
		`dbforge_db_queries_total{db="h1"} 1`,
		`dbforge_db_running{db="h2"} 0`,
		`dbforge_db_size_bytes{db="h1"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "h1/query") {
		t.Fatal("raw path in metrics")
	}
}

func TestHealthUnhealthy(t *testing.T) {
	f := newFixture(t, Options{})
	f.eng.Close()
	r := f.doWith("GET", "/health", nil, nil)
	if r.status != 503 || r.str("status") != "unhealthy" || r.body["errors"] == nil {
		t.Fatalf("unhealthy: %s", r.raw)
	}
	r = f.do("POST", "/api/db/x/query", map[string]any{"sql": "SELECT 1"})
	f.expect(r, 503, "")
}

// mustRequest builds a request whose path is sent as written.
func mustRequest(t *testing.T, method, rawURL string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
