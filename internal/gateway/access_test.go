package gateway

import (
	"strings"
	"testing"
)

// concretePath fills a route pattern's wildcards with names that exist in
// the fixture: database shop (also as a fork target, so that a scoped key
// may name it), table t, backup action backup.
func concretePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.NewReplacer("{$}", "", "{db}", "shop", "{table}", "t", "{id}", "nokey",
		"{to}", "shop", "{action}", "backup").Replace(path)
	return method, path
}

// TestRouteAccessEnforced sends every registered route a request without
// a key, with a readonly key, with a readwrite key and with an admin key
// scoped to shop, and checks that the gateway lets through exactly what the
// access named at the route's registration allows. A route registered with
// a weaker access than its role needs fails here as well as in the scope
// and security tests.
func TestRouteAccessEnforced(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("shop")
	f.exec("shop", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	readonly, _ := f.createKey("ro", "readonly")
	readwrite, _ := f.createKey("rw", "readwrite")
	scopedAdmin, _ := f.createKey("shop-admin", "admin", "shop")

	// allowed reports whether a key of this kind passes the access check
	allowed := map[string]func(access) bool{
		"readonly":     func(a access) bool { return a == accessOpen || a == accessView || a == accessRead },
		"readwrite":    func(a access) bool { return a == accessOpen || a == accessView || a == accessRead || a == accessWrite },
		"scoped admin": func(a access) bool { return a != accessGatewayWide && a != accessMetrics },
	}
	keys := map[string]string{"readonly": readonly, "readwrite": readwrite, "scoped admin": scopedAdmin}
	if len(f.gw.Patterns()) < 30 {
		t.Fatalf("only %d routes", len(f.gw.Patterns()))
	}
	for _, pattern := range f.gw.Patterns() {
		acc := f.gw.access[pattern]
		method, path := concretePath(pattern)
		r := f.doWith(method, path, nil, nil)
		if got, want := r.status == 401, acc != accessOpen; got != want {
			t.Errorf("%s (%v) without a key: %d", pattern, acc, r.status)
		}
		for kind, key := range keys {
			r := f.as(key, method, path, nil)
			if r.status == 401 {
				t.Fatalf("%s: %s key not accepted: %s", pattern, kind, r.raw)
			}
			if refused, want := r.status == 403, !allowed[kind](acc); refused != want {
				t.Errorf("%s (%v) with a %s key: %d %.200s", pattern, acc, kind, r.status, r.raw)
			}
		}
	}
}
