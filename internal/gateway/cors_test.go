package gateway

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const dashboard = "http://localhost:3000" // MK1's Next.js dashboard

// samplePath fills a route pattern's wildcards with example values.
func samplePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.NewReplacer("{$}", "", "{db}", "shop", "{table}", "items", "{id}", "key_1", "{action}", "backup").Replace(path)
	return method, path
}

func (f *fixture) preflight(path, origin, method string) response {
	f.t.Helper()
	return f.rawDo("OPTIONS", path, "", map[string]string{
		"Origin": origin, "Access-Control-Request-Method": method,
		"Access-Control-Request-Headers": "x-api-key, content-type, x-requested-with",
	})
}

// TestPreflightEveryRoute: with keys and no --cors-origins, a page of any
// origin (MK1's dashboard on localhost:3000 first) may call every route;
// the preflight needs no key and is not audited as a failure.
func TestPreflightEveryRoute(t *testing.T) {
	f := newFixture(t, Options{})
	for _, pattern := range f.gw.Patterns() {
		method, path := samplePath(pattern)
		r := f.preflight(path, dashboard, method)
		if r.status != 200 {
			t.Fatalf("%s: preflight %d %s", pattern, r.status, r.raw)
		}
		h := r.header
		if h.Get("Access-Control-Allow-Origin") != dashboard || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: Allow-Origin %q, credentials %q", pattern, h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Credentials"))
		}
		if !strings.Contains(h.Get("Access-Control-Allow-Methods"), method) {
			t.Errorf("%s: Allow-Methods %q", pattern, h.Get("Access-Control-Allow-Methods"))
		}
		for _, want := range []string{"X-API-Key", "Authorization", "Content-Type", "x-requested-with"} {
			if !strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), strings.ToLower(want)) {
				t.Errorf("%s: Allow-Headers %q lacks %s", pattern, h.Get("Access-Control-Allow-Headers"), want)
			}
		}
		if h.Get("Access-Control-Max-Age") == "" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
			t.Errorf("%s: Max-Age %q, Vary %q", pattern, h.Get("Access-Control-Max-Age"), h.Values("Vary"))
		}
	}
	// a marker call, then the audit log: no preflight (and no 401) in it
	f.do("GET", "/admin/keys", nil)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := f.do("GET", "/admin/audit?limit=1000", nil)
		raw := string(r.raw)
		if strings.Contains(raw, `"GET /admin/keys"`) {
			if strings.Contains(raw, "OPTIONS") || strings.Contains(raw, `"status":401`) {
				t.Fatalf("a preflight was audited: %s", raw)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the marker never reached the audit log: %s", raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// OPTIONS without the preflight headers is no preflight: a plain 405
	f.expect(f.rawDo("OPTIONS", "/api/db/shop/query", "", nil), 405, "")
}

// TestCORSHeadersOnErrors: a page can read every answer, errors included
// (401, 404, 429, 500), or it could not show why a call failed.
func TestCORSHeadersOnErrors(t *testing.T) {
	f := newFixture(t, Options{})
	f.gw.handle("GET /test/panic", accessOpen, func(http.ResponseWriter, *http.Request) { panic("boom") })
	f.spawn("shop")
	origin := map[string]string{"Origin": dashboard}
	withKey := map[string]string{"Origin": dashboard, "X-API-Key": f.key, "Content-Type": "application/json"}
	cases := []struct {
		method, path string
		headers      map[string]string
		status       int
	}{
		{"GET", "/admin/databases", origin, 401},
		{"POST", "/api/db/shop/query", map[string]string{"Origin": dashboard, "X-API-Key": "wrong"}, 401},
		{"POST", "/api/db/nope/query", withKey, 404},
		{"GET", "/nope", origin, 404},
		{"PUT", "/admin/databases", withKey, 405},
		{"POST", "/api/db/shop/query", withKey, 422},
		{"GET", "/test/panic", origin, 500},
		{"GET", "/admin/databases", withKey, 200},
		{"GET", "/health", origin, 200},
	}
	for _, c := range cases {
		r := f.rawDo(c.method, c.path, "", c.headers)
		if r.status != c.status {
			t.Fatalf("%s %s: %d, want %d: %s", c.method, c.path, r.status, c.status, r.raw)
		}
		if r.header.Get("Access-Control-Allow-Origin") != c.headers["Origin"] || !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
			t.Errorf("%s %s (%d): CORS headers %v", c.method, c.path, r.status, r.header)
		}
		if c.status == 401 && !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "WWW-Authenticate") {
			t.Errorf("401 does not expose WWW-Authenticate: %v", r.header)
		}
	}
}

// TestCORSListedOrigins: with a list, only listed origins are named back
// (exactly, never "*"); a preflight of another origin is refused.
func TestCORSListedOrigins(t *testing.T) {
	f := newFixture(t, Options{CORSOrigins: []string{dashboard, "https://admin.example/"}})
	r := f.preflight("/api/db/shop/query", dashboard, "POST")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != dashboard {
		t.Fatalf("listed origin: %d %v", r.status, r.header)
	}
	r = f.preflight("/api/db/shop/query", "https://ADMIN.example", "POST")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "https://ADMIN.example" {
		t.Fatalf("listed origin, other case: %d %v", r.status, r.header)
	}
	r = f.preflight("/api/db/shop/query", "https://evil.example", "POST")
	f.expect(r, 403, "")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("unlisted origin named back: %v", r.header)
	}
	// the call itself is served (the key protects it) but not readable by the page
	r = f.rawDo("GET", "/admin/databases", "", map[string]string{"Origin": "https://evil.example", "X-API-Key": f.key})
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("unlisted origin: %d %v", r.status, r.header)
	}
}

// TestCORSOpenMode: without keys only listed origins are served; the
// default list is empty, so a page of MK1's dashboard origin is refused
// until the operator lists it.
func TestCORSOpenMode(t *testing.T) {
	f := openFixture(t, Options{})
	r := f.preflight("/api/db/shop/query", dashboard, "POST")
	f.expect(r, 403, "")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("open mode named an unlisted origin: %v", r.header)
	}
	f.expect(f.rawDo("POST", "/admin/databases/spawn/shop", "", map[string]string{"Origin": dashboard}), 403, "")

	f = openFixture(t, Options{CORSOrigins: []string{dashboard}})
	r = f.preflight("/api/db/shop/query", dashboard, "POST")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != dashboard {
		t.Fatalf("listed origin in open mode: %d %v", r.status, r.header)
	}
	f.expect(f.rawDo("POST", "/admin/databases/spawn/shop", "", map[string]string{"Origin": dashboard}), 201, "")
	r = f.preflight("/api/db/shop/query", "http://localhost:3001", "POST")
	f.expect(r, 403, "")
}
