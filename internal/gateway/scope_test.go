package gateway

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// scopeCase is one request a scoped admin key sends at another tenant.
type scopeCase struct {
	method, path string
	body         any
	status       int
}

// TestScopedAdminCannotReachOtherTenant tries every route of the gateway
// with an admin key scoped to "shop" against the database "other" and its
// keys: every answer is a refusal or a list filtered to shop, and no body
// names the other tenant, its keys or its key names. A route added
// without a case here fails the test.
func TestScopedAdminCannotReachOtherTenant(t *testing.T) {
	f := newFixture(t, Options{})
	for _, db := range []string{"shop", "other"} {
		f.spawn(db)
		f.exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
		f.exec(db, "INSERT INTO t(v) VALUES ('a'), ('b')")
	}
	otherApp, otherAppID := f.createKey("b-app", "readwrite", "other")
	_, otherAdminID := f.createKey("b-admin", "admin", "other")
	_, globalID := f.createKey("global-ro", "readonly")
	shopAdmin, _ := f.createKey("shop-admin", "admin", "shop")
	f.expect(f.do("POST", "/admin/databases/other/backup", nil), 201, "")
	f.expect(f.as(otherApp, "POST", "/api/db/other/query", map[string]any{"sql": "SELECT * FROM t"}), 200, "")
	waitAudit(t, f, "/admin/audit?db=other&key=b-app", 1)
	before := f.checksum("other")

	cases := map[string][]scopeCase{
		"GET /{$}":                              {{"GET", "/", nil, 200}},
		"GET /health":                           {{"GET", "/health", nil, 200}},
		"GET /metrics":                          {{"GET", "/metrics", nil, 403}},
		"GET /openapi.json":                     {{"GET", "/openapi.json", nil, 200}},
		"GET /docs":                             {{"GET", "/docs", nil, 200}},
		"POST /admin/databases/spawn/{db}":      {{"POST", "/admin/databases/spawn/other", nil, 403}, {"POST", "/admin/databases/spawn/newco", nil, 403}},
		"POST /admin/databases/prune/{db}":      {{"POST", "/admin/databases/prune/other", nil, 403}},
		"GET /admin/databases":                  {{"GET", "/admin/databases?status=all", nil, 200}},
		"GET /admin/discovery":                  {{"GET", "/admin/discovery", nil, 200}},
		"GET /admin/gateway/stats":              {{"GET", "/admin/gateway/stats", nil, 403}},
		"GET /admin/databases/{db}":             {{"GET", "/admin/databases/other", nil, 403}},
		"DELETE /admin/databases/{db}":          {{"DELETE", "/admin/databases/other?force=true", nil, 403}},
		"GET /admin/databases/{db}/stats":       {{"GET", "/admin/databases/other/stats", nil, 403}},
		"POST /api/db/{db}/query":               {{"POST", "/api/db/other/query", map[string]any{"sql": "SELECT * FROM t"}, 403}},
		"POST /api/db/{db}/tables":              {{"POST", "/api/db/other/tables", map[string]any{"table_name": "u", "columns": []any{map[string]any{"name": "a"}}}, 403}},
		"POST /api/db/{db}/tables/{table}/rows": {{"POST", "/api/db/other/tables/t/rows", map[string]any{"rows": []any{map[string]any{"v": "x"}}}, 403}},
		"GET /api/db/{db}/tables/{table}/rows":  {{"GET", "/api/db/other/tables/t/rows", nil, 403}},
		"GET /api/db/{db}/schema":               {{"GET", "/api/db/other/schema", nil, 403}},
		"POST /api/db/{db}/explain":             {{"POST", "/api/db/other/explain", map[string]any{"sql": "SELECT * FROM t"}, 403}},
		"GET /api/db/{db}/export/csv":           {{"GET", "/api/db/other/export/csv?table=t", nil, 403}},
		"POST /api/db/{db}/export/query":        {{"POST", "/api/db/other/export/query", map[string]any{"sql": "SELECT * FROM t"}, 403}},
		"GET /api/db/{db}/export/json":          {{"GET", "/api/db/other/export/json?table=t", nil, 403}},
		"GET /api/db/{db}/export/sql":           {{"GET", "/api/db/other/export/sql", nil, 403}},
		"POST /api/db/{db}/import/csv":          {{"POST", "/api/db/other/import/csv?table=t&header=true", "id,v\n9,x\n", 403}},
		"POST /api/db/{db}/import/sql":          {{"POST", "/api/db/other/import/sql", "DELETE FROM t;", 403}},
		"POST /admin/databases/{db}/{action}":   {{"POST", "/admin/databases/other/backup", nil, 403}, {"POST", "/admin/databases/other/restore", map[string]any{"backup": "x"}, 403}},
		"GET /admin/databases/{db}/backups":     {{"GET", "/admin/databases/other/backups", nil, 403}},
		"GET /admin/keys":                       {{"GET", "/admin/keys", nil, 200}},
		"GET /admin/audit":                      {{"GET", "/admin/audit?limit=10000", nil, 200}, {"GET", "/admin/audit?db=other", nil, 403}, {"GET", "/admin/audit?key=b-app", nil, 200}},
		"POST /admin/keys": {
			{"POST", "/admin/keys", map[string]any{"name": "escape", "role": "admin"}, 403},
			{"POST", "/admin/keys", map[string]any{"name": "escape", "role": "admin", "databases": []string{}}, 403},
			{"POST", "/admin/keys", map[string]any{"name": "escape", "role": "readonly", "databases": []string{"other"}}, 403},
			{"POST", "/admin/keys", map[string]any{"name": "escape", "role": "admin", "databases": []string{"shop", "other"}}, 403},
		},
		"DELETE /admin/keys/{id}": {
			{"DELETE", "/admin/keys/" + otherAppID, nil, 404},
			{"DELETE", "/admin/keys/" + otherAdminID, nil, 404},
			{"DELETE", "/admin/keys/" + globalID, nil, 404},
		},
		"POST /admin/databases/{db}/fork/{to}": {
			{"POST", "/admin/databases/other/fork/shop2", nil, 403},
			{"POST", "/admin/databases/shop/fork/other", nil, 403},
			{"POST", "/admin/databases/shop/fork/newco", nil, 403},
		},
		"GET /admin/templates": {
			{"GET", "/admin/templates", nil, 200},
			{"POST", "/admin/databases/spawn/newco", map[string]any{"template": "kv"}, 403},
			{"POST", "/admin/databases/spawn/other", map[string]any{"from_sql": "DROP TABLE t"}, 403},
		},
	}
	for _, p := range f.gw.Patterns() {
		if len(cases[p]) == 0 {
			t.Errorf("route %q has no case in this test: say what a scoped admin key gets there", p)
		}
	}
	leaks := regexp.MustCompile(`\bother\b|b-app|b-admin|global-ro|` + otherAppID + "|" + otherAdminID + "|" + globalID)
	unknownKey := f.as(shopAdmin, "DELETE", "/admin/keys/key_nosuch", nil)
	for pattern, list := range cases {
		for _, c := range list {
			r := f.as(shopAdmin, c.method, c.path, c.body)
			if r.status != c.status {
				t.Errorf("%s %s (%s): %d, want %d: %.300s", c.method, c.path, pattern, r.status, c.status, r.raw)
				continue
			}
			if c.status >= 400 {
				f.expect(r, c.status, "")
			}
			// "other" is also an audit statement kind, which names no tenant
			if m := leaks.Find(bytes.ReplaceAll(r.raw, []byte(`"kind":"other"`), nil)); m != nil {
				t.Errorf("%s %s: the answer names %q: %.300s", c.method, c.path, m, r.raw)
			}
			if pattern == "DELETE /admin/keys/{id}" && string(r.raw) != string(unknownKey.raw) {
				t.Errorf("revoking another tenant's key answers %s, an unknown id %s", r.raw, unknownKey.raw)
			}
		}
	}

	// nothing of the other tenant changed: its data, its keys
	if after := f.checksum("other"); after != before {
		t.Fatalf("other's data changed: %s → %s", before, after)
	}
	f.expect(f.as(otherApp, "POST", "/api/db/other/query", map[string]any{"sql": "SELECT 1"}), 200, "")
	if r := f.do("GET", "/admin/keys", nil); len(r.list) != 4 || strings.Contains(string(r.raw), "escape") {
		t.Fatalf("keys after the attempts: %s", r.raw)
	}
}

// TestScopedAdminManagesItsOwnDatabases: within its scope a scoped admin
// key is an admin: it creates, lists and revokes keys there and reads their
// audit entries, and the lists show only what lies inside.
func TestScopedAdminManagesItsOwnDatabases(t *testing.T) {
	f := newFixture(t, Options{})
	for _, db := range []string{"shop", "shop_eu", "other"} {
		f.spawn(db)
	}
	f.exec("other", "SELECT 1")
	shopAdmin, shopAdminID := f.createKey("shop-admin", "admin", "shop", "shop_eu")
	f.createKey("wide", "readonly", "shop", "other") // reaches beyond shop's scope

	r := f.as(shopAdmin, "POST", "/admin/keys", map[string]any{"name": "shop-reader", "role": "readonly", "databases": []string{"shop"}})
	f.expect(r, 201, "")
	reader, readerID := r.str("key"), r.str("id")
	f.expect(f.as(shopAdmin, "POST", "/admin/keys", map[string]any{"name": "shop-ops", "role": "admin", "databases": []string{"shop_eu", "shop"}}), 201, "")
	f.expect(f.as(shopAdmin, "POST", "/admin/keys", map[string]any{"name": "x", "role": "admin"}), 403, msgScopedCreateEmpty)
	f.expect(f.as(shopAdmin, "POST", "/admin/keys", map[string]any{"name": "x", "role": "admin", "databases": []string{"other"}}), 403, msgScopedCreateOutside)
	f.expect(f.as(reader, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"}), 200, "")
	f.expect(f.as(reader, "POST", "/api/db/shop_eu/query", map[string]any{"sql": "SELECT 1"}), 403, "")

	r = f.as(shopAdmin, "GET", "/admin/keys", nil)
	f.expect(r, 200, "")
	var names []string
	for _, k := range r.list {
		names = append(names, k.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "shop-admin,shop-reader,shop-ops" {
		t.Fatalf("a scoped admin lists %v", names)
	}
	f.expect(f.as(shopAdmin, "DELETE", "/admin/keys/"+readerID, nil), 200, "API key revoked.")
	f.expect(f.as(reader, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"}), 401, "")

	// the audit log: entries of its databases only, without gateway counts
	waitAudit(t, f, "/admin/audit?db=shop", 2)
	r = f.as(shopAdmin, "GET", "/admin/audit?limit=10000", nil)
	f.expect(r, 200, "")
	entries := r.body["entries"].([]any)
	if len(entries) == 0 {
		t.Fatal("a scoped admin sees no entry of its own database")
	}
	for _, e := range entries {
		if db := e.(map[string]any)["database"]; db != "shop" && db != "shop_eu" {
			t.Fatalf("a scoped admin reads an entry of %q: %s", db, r.raw)
		}
	}
	if _, ok := r.body["written"]; ok {
		t.Fatalf("gateway-wide audit counts shown to a scoped key: %s", r.raw)
	}
	f.expect(f.as(shopAdmin, "GET", "/admin/audit?db=shop_eu", nil), 200, "")
	f.expect(f.as(shopAdmin, "GET", "/admin/audit?db=nosuch", nil), 403, msgNotInScope)
	// it runs its own databases' lifecycle, not the gateway's
	f.expect(f.as(shopAdmin, "POST", "/admin/databases/prune/shop_eu", nil), 200, "")
	f.expect(f.as(shopAdmin, "GET", "/admin/gateway/stats", nil), 403, msgGatewayWide)
	// and the unscoped admin still sees everything
	if r := f.do("GET", "/admin/keys", nil); len(r.list) != 4 {
		t.Fatalf("the unscoped admin lists %d keys: %s", len(r.list), r.raw)
	}
	if r := f.do("GET", "/admin/audit?db=other", nil); len(r.body["entries"].([]any)) == 0 || r.body["written"] == nil {
		t.Fatalf("the unscoped admin's audit view: %s", r.raw)
	}
	f.expect(f.do("GET", "/admin/gateway/stats", nil), 200, "")
	f.expect(f.do("DELETE", "/admin/keys/"+shopAdminID, nil), 200, "")
}

// waitAudit waits until the admin's audit query returns at least n
// entries: the audit writer is asynchronous.
func waitAudit(t *testing.T, f *fixture, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r := f.do("GET", path, nil)
		if entries, _ := r.body["entries"].([]any); len(entries) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the audit log never had %d entries for %s", n, path)
}
