package gateway

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// openFixture is a gateway without keys on a real loopback server.
func openFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	f := newFixture(t, Options{})
	f.gw = New(f.eng, opts)
	f.srv.Config.Handler = f.gw
	return f
}

// rawDo sends one request with exactly the given headers (Host included,
// no Content-Type unless given).
func (f *fixture) rawDo(method, path, body string, headers map[string]string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	return f.send(req)
}

// TestOpenModeRefusesWebPages: without keys, a browser page is the only
// caller that can be tricked, so the gateway refuses what only a page
// would send: a foreign Host (DNS rebinding), a foreign Origin, and a
// form or text/plain body (a CSRF POST that needs no preflight).
func TestOpenModeRefusesWebPages(t *testing.T) {
	f := openFixture(t, Options{AllowedHosts: []string{"db.internal"}, CORSOrigins: []string{"http://localhost:3000"}})
	f.expect(f.doWith("POST", "/admin/databases/spawn/o", nil, nil), 201, "")
	query := `{"sql": "CREATE TABLE IF NOT EXISTS pwned(a)"}`
	json := map[string]string{"Content-Type": "application/json"}
	with := func(extra map[string]string) map[string]string {
		h := map[string]string{"Content-Type": "application/json"}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	refused := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"rebound host", with(map[string]string{"Host": "evil.example:8080"}), 403},
		{"rebound host without port", with(map[string]string{"Host": "evil.example"}), 403},
		{"loopback-looking name", with(map[string]string{"Host": "127.0.0.1.evil.example"}), 403},
		{"localhost-looking name", with(map[string]string{"Host": "localhost.evil.example"}), 403},
		{"localhost as a label", with(map[string]string{"Host": "db.localhost.evil.example:8081"}), 403},
		{"foreign origin", with(map[string]string{"Origin": "https://evil.example"}), 403},
		{"null origin", with(map[string]string{"Origin": "null"}), 403},
		{"text/plain CSRF", map[string]string{"Content-Type": "text/plain"}, 415},
		{"text/plain with charset", map[string]string{"Content-Type": "text/plain; charset=utf-8"}, 415},
		{"form CSRF", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"multipart CSRF", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 415},
		{"no content type", map[string]string{}, 415},
	}
	for _, c := range refused {
		r := f.rawDo("POST", "/api/db/o/query", query, c.headers)
		f.expect(r, c.status, "")
		if !strings.Contains(r.str("detail"), "without API keys") {
			t.Errorf("%s: %s", c.name, r.raw)
		}
	}
	// a text/plain or untyped import body is refused too, whatever the route
	f.expect(f.rawDo("POST", "/api/db/o/import/sql", "CREATE TABLE pwned(a);", map[string]string{"Content-Type": "text/plain"}), 415, "")
	f.expect(f.rawDo("POST", "/api/db/o/import/csv?table=pwned", "a\n1\n", map[string]string{"Content-Type": "text/plain"}), 415, "")
	f.expect(f.rawDo("POST", "/api/db/o/import/csv?table=pwned", "a\n1\n", nil), 415, "")
	if r := f.rawDo("POST", "/api/db/o/query", `{"sql": "SELECT count(*) AS n FROM sqlite_master WHERE name = 'pwned'"}`, json); r.status != 200 || !strings.Contains(string(r.raw), `"n":0`) {
		t.Fatalf("a refused request changed the database: %s", r.raw)
	}

	allowed := []map[string]string{
		json,
		with(map[string]string{"Host": "localhost:8080"}),
		with(map[string]string{"Host": "LOCALHOST"}),
		with(map[string]string{"Host": "127.0.0.2:9"}),
		with(map[string]string{"Host": "[::1]:8080"}),
		with(map[string]string{"Host": "db.localhost:8081"}), // RFC 6761: loopback by definition
		with(map[string]string{"Host": "db.internal:8080"}),
		with(map[string]string{"Origin": "http://localhost:3000"}),
		with(map[string]string{"Host": "localhost:8080", "Origin": "http://localhost:8080"}), // its own pages
		{"Content-Type": "application/json; charset=utf-8"},
	}
	for _, h := range allowed {
		f.expect(f.rawDo("POST", "/api/db/o/query", `{"sql": "SELECT 1"}`, h), 200, "")
	}
	// bodies that are not forms pass: CSV and SQL imports as the CLI sends them
	f.expect(f.rawDo("POST", "/api/db/o/import/csv?table=t", "a\n1\n", map[string]string{"Content-Type": "text/csv"}), 200, "")
	f.expect(f.rawDo("POST", "/api/db/o/import/sql", "SELECT 1;", map[string]string{"Content-Type": "application/sql"}), 200, "")
	// an empty form POST (a page's <form method=post>) is refused too: it
	// needs no body to prune a database
	f.expect(f.rawDo("POST", "/admin/databases/prune/o", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), 415, "")
	// an empty body of unknown length and no Content-Type is what the Go
	// client sends for a call without a body: served
	req, _ := http.NewRequest("POST", f.srv.URL+"/admin/databases/spawn/o", struct{ io.Reader }{strings.NewReader("")})
	if r := f.send(req); r.status != 200 || req.ContentLength != 0 {
		t.Fatalf("empty chunked body: %d %s", r.status, r.raw)
	}
	// GET without a body needs no Content-Type, but still a loopback Host
	f.expect(f.doWith("GET", "/admin/databases", nil, nil), 200, "")
	f.expect(f.rawDo("GET", "/health", "", map[string]string{"Host": "evil.example"}), 403, "")
}

// TestKeysModeServesAnyHost: with keys, Host, Origin and Content-Type are
// not checked: a page cannot send a key it does not have, and MK1 users
// post with `curl -d` (application/x-www-form-urlencoded).
func TestKeysModeServesAnyHost(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("k")
	h := map[string]string{"X-API-Key": f.key, "Host": "db.example.com", "Origin": "https://dash.example", "Content-Type": "application/x-www-form-urlencoded"}
	f.expect(f.rawDo("POST", "/api/db/k/query", `{"sql": "SELECT 1"}`, h), 200, "")
}

// TestOpenModeHostCheckAllowsStar: "*" in AllowedHosts is the operator's
// explicit way to turn the Host check off.
func TestOpenModeHostCheckAllowsStar(t *testing.T) {
	f := openFixture(t, Options{AllowedHosts: []string{"*"}})
	r := f.rawDo("GET", "/admin/databases", "", map[string]string{"Host": "anything.example"})
	f.expect(r, http.StatusOK, "")
}
