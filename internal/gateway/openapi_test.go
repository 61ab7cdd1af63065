package gateway

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes checks the document against the routes the mux
// really serves: every route described, nothing described that is not
// served, and each operation's access and security are those its route is
// registered with.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.doWith("GET", "/openapi.json", nil, nil)
	f.expect(r, 200, "")
	if r.str("openapi") == "" || !strings.HasPrefix(r.str("openapi"), "3.") {
		t.Fatalf("not an OpenAPI 3 document: %.200s", r.raw)
	}
	documented := map[string]bool{}
	for path, item := range r.body["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
			o := op.(map[string]any)
			if o["summary"] == "" || o["responses"] == nil {
				t.Errorf("%s %s: no summary or responses", method, path)
			}
			pattern := strings.ToUpper(method) + " " + path
			if path == "/" {
				pattern += "{$}" // the mux's exact-match form
			}
			acc, ok := f.gw.access[pattern]
			if !ok {
				continue // reported below as documented but not served
			}
			if o["x-access"] != acc.String() {
				t.Errorf("%s: documented access %v, registered %v", pattern, o["x-access"], acc)
			}
			sec, _ := o["security"].([]any)
			if got, want := len(sec) == 0, acc == accessOpen; got != want {
				t.Errorf("%s (%v): security %v", pattern, acc, o["security"])
			}
		}
	}
	registered := map[string]bool{}
	for _, p := range f.gw.Patterns() {
		// the mux pattern "GET /{$}" is the exact path "/"
		registered[strings.Replace(p, "/{$}", "/", 1)] = true
		// the route is really routed: a request to it matches this pattern
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{$}", "", "{db}", "x", "{table}", "t").Replace(path)
		req := httptest.NewRequest(method, path, nil)
		if _, got := f.gw.mux.Handler(req); got != p {
			t.Errorf("%s %s routes to %q, want %q", method, path, got, p)
		}
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("undocumented routes: %v\ndocumented but not served: %v", missing, extra)
	}
	if len(registered) < 18 {
		t.Fatalf("only %d routes registered", len(registered))
	}
}

// TestOpenAPILintable checks what strict linters (redocly lint, spectral
// lint with spectral:oas; the commands are in docs/API.md) demand: servers,
// a licence, security on every operation (an empty list on open routes),
// a 4xx response on every operation, and that an open route's documented
// 405 is what it really answers.
func TestOpenAPILintable(t *testing.T) {
	f := newFixture(t, Options{})
	doc := f.doWith("GET", "/openapi.json", nil, nil).body
	servers, _ := doc["servers"].([]any)
	if len(servers) == 0 || servers[0].(map[string]any)["url"] == "" {
		t.Errorf("servers: %v", doc["servers"])
	}
	lic, _ := doc["info"].(map[string]any)["license"].(map[string]any)
	if lic["name"] != "MIT" || lic["url"] == nil {
		t.Errorf("license: %v", lic)
	}
	tags := map[string]bool{}
	for _, tg := range doc["tags"].([]any) {
		tags[tg.(map[string]any)["name"].(string)] = true
	}
	open := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			name := method + " " + path
			sec, ok := op["security"].([]any)
			if !ok {
				t.Errorf("%s: no security", name)
			}
			has4xx := false
			for code := range op["responses"].(map[string]any) {
				has4xx = has4xx || code[0] == '4'
			}
			if !has4xx {
				t.Errorf("%s: no 4xx response", name)
			}
			if op["description"] == nil || !tags[op["tags"].([]any)[0].(string)] {
				t.Errorf("%s: no description or an undeclared tag", name)
			}
			if len(sec) > 0 {
				continue
			}
			open++
			// open: answers without a key, and its 405 is real
			if r := f.doWith("GET", path, nil, nil); r.status != 200 {
				t.Errorf("%s without a key: %d", name, r.status)
			}
			r := f.doWith("POST", path, nil, nil)
			f.expect(r, 405, "")
		}
	}
	if open != 4 { // /, /health, /openapi.json, /docs
		t.Errorf("%d open routes", open)
	}
	// the open routes are exactly the ones the gateway serves without a key
	if r := f.doWith("GET", "/admin/databases", nil, nil); r.status != 401 {
		t.Errorf("protected route without a key: %d", r.status)
	}
}
