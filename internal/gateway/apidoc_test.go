package gateway

import (
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// apiDocRoute is one route a row of docs/API.md names.
type apiDocRoute struct {
	method, path string
	line         int
}

// routeSpan is a code span in a table's first cell that names a route:
// methods ("POST", "POST/GET/DELETE", or none to repeat the previous
// span's) and a path, which may start with "…" for "the previous path with
// its last segments replaced".
var routeSpan = regexp.MustCompile("`((?:GET|POST|PUT|PATCH|DELETE|HEAD)(?:/(?:GET|POST|PUT|PATCH|DELETE|HEAD))* )?([/…][^`\\s]*)`")

// parseAPIDocRoutes reads the routes docs/API.md's tables name: every table
// row whose first cell starts with a code span of a method and a path.
func parseAPIDocRoutes(t *testing.T, markdown string) []apiDocRoute {
	t.Helper()
	var out []apiDocRoute
	for i, line := range strings.Split(markdown, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, " | ")
		var methods []string
		base := ""
		for _, m := range routeSpan.FindAllStringSubmatch(cells[0], -1) {
			if m[1] != "" {
				methods = strings.Split(strings.TrimSpace(m[1]), "/")
			}
			if methods == nil {
				t.Fatalf("API.md:%d: %q names no method", i+1, m[0])
			}
			path, _, _ := strings.Cut(m[2], "?")
			if rest, ok := strings.CutPrefix(path, "…"); ok {
				if path = replaceTail(base, rest); path == "" {
					t.Fatalf("API.md:%d: %q follows no full path", i+1, m[0])
				}
			} else {
				base = path
			}
			for _, method := range methods {
				out = append(out, apiDocRoute{method, path, i + 1})
			}
		}
	}
	return out
}

// replaceTail replaces the last segments of base by rest ("/a/b/c" and
// "/x" give "/a/b/x"); "" when base is too short.
func replaceTail(base, rest string) string {
	segs := strings.Split(base, "/")
	n := strings.Count(rest, "/")
	if base == "" || n >= len(segs) {
		return ""
	}
	return strings.Join(segs[:len(segs)-n], "/") + rest
}

// TestAPIDocMatchesOpenAPI checks docs/API.md, the wire contract, against
// the document the gateway serves at /openapi.json (which
// TestOpenAPICoversRoutes holds equal to the router): every route in the
// document has a row in API.md with its method and path, and every route a
// row names is served, by the operation the document describes.
func TestAPIDocMatchesOpenAPI(t *testing.T) {
	raw, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := parseAPIDocRoutes(t, string(raw))
	if len(documented) < 30 {
		t.Fatalf("only %d routes found in docs/API.md's tables", len(documented))
	}

	f := newFixture(t, Options{})
	served := map[string]bool{} // "METHOD pattern" of each OpenAPI operation
	for path, item := range f.doWith("GET", "/openapi.json", nil, nil).body["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			pattern := strings.ToUpper(method) + " " + path
			if path == "/" {
				pattern += "{$}"
			}
			served[pattern] = false
		}
	}
	fill := strings.NewReplacer("{db}", "x", "{table}", "t", "{id}", "k", "{to}", "y")
	for _, d := range documented {
		req := httptest.NewRequest(d.method, fill.Replace(d.path), nil)
		_, pattern := f.gw.mux.Handler(req)
		if _, ok := served[pattern]; !ok {
			t.Errorf("API.md:%d: %s %s is not a route of /openapi.json (the router answers %q)", d.line, d.method, d.path, pattern)
			continue
		}
		served[pattern] = true
	}
	var missing []string
	for pattern, found := range served {
		if !found {
			missing = append(missing, pattern)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes of /openapi.json with no row in docs/API.md: %v", missing)
	}
}

// TestParseAPIDocRoutes pins the row forms API.md uses.
func TestParseAPIDocRoutes(t *testing.T) {
	md := "| route | MK1 | behaviour |\n|---|---|---|\n" +
		"| `GET /api/db/{db}/export/csv?table=` `…/export/json?table=` `…/export/sql` | ext | x |\n" +
		"| `POST /admin/databases/{db}/backup` / `GET …/backups` / `POST …/restore` | ext | x |\n" +
		"| `POST/GET /admin/keys` `DELETE /admin/keys/{id}` | ext | x `GET /not/a/route` |\n" +
		"not a row `GET /neither`\n"
	var got []string
	for _, r := range parseAPIDocRoutes(t, md) {
		got = append(got, r.method+" "+r.path)
	}
	want := []string{
		"GET /api/db/{db}/export/csv", "GET /api/db/{db}/export/json", "GET /api/db/{db}/export/sql",
		"POST /admin/databases/{db}/backup", "GET /admin/databases/{db}/backups", "POST /admin/databases/{db}/restore",
		"POST /admin/keys", "GET /admin/keys", "DELETE /admin/keys/{id}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
