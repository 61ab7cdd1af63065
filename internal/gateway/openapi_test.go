package gateway

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes checks the document against the routes the mux
// really serves: every route described, nothing described that is not served.
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
