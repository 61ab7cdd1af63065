package gateway

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// TestReadWriteKeyCannotChangeOthersCalls is the acceptance test of the
// per-call connection state over HTTP: whatever a readwrite key sends, the
// admin's next INSERT is stored unmodified in the main table, visible to
// the next SELECT and to the export, and constraints still hold.
func TestReadWriteKeyCannotChangeOthersCalls(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("shop")
	f.exec("shop", "CREATE TABLE parent(id INTEGER PRIMARY KEY)")
	f.exec("shop", "CREATE TABLE items(id INTEGER PRIMARY KEY, a INTEGER CHECK (a >= 0), pid INTEGER REFERENCES parent(id))")
	f.exec("shop", "INSERT INTO parent VALUES (1)")
	rw, _ := f.createKey("tenant", "readwrite", "shop")
	for _, attack := range []string{
		"CREATE TEMP TABLE items(id INTEGER PRIMARY KEY, a, pid)",
		"CREATE TABLE temp.items(a)",
		"CREATE TEMP TRIGGER tr AFTER INSERT ON main.items BEGIN UPDATE main.items SET a = 999; END",
		"PRAGMA foreign_keys=0",
		"PRAGMA ignore_check_constraints=1",
		"PRAGMA recursive_triggers=1",
		"PRAGMA defer_foreign_keys=1",
		"PRAGMA legacy_alter_table=1",
		"PRAGMA cache_size=1",
		"PRAGMA wal_autocheckpoint=0",
	} {
		r := f.as(rw, "POST", "/api/db/shop/query", map[string]any{"sql": attack})
		f.expect(r, 400, "")
		if r.code() != client.CodeSQL || !strings.Contains(r.str("detail"), "not authorized") {
			t.Fatalf("%q: %s", attack, r.raw)
		}
	}
	r := f.as(rw, "POST", "/api/db/shop/import/sql", "CREATE TEMP TABLE items(a);")
	if r.status != 400 {
		t.Fatalf("script with a temp table: %d %s", r.status, r.raw)
	}
	f.exec("shop", "INSERT INTO items(a, pid) VALUES (7, 1)")
	if got := f.exec("shop", "SELECT a, pid FROM items").raw; !strings.Contains(string(got), `"data":[{"a":7,"pid":1}]`) {
		t.Fatalf("SELECT after the attacks: %s", got)
	}
	dump := f.do("GET", "/api/db/shop/export/sql", nil)
	if dump.status != 200 || !strings.Contains(string(dump.raw), "(1,7,1)") {
		t.Fatalf("export lacks the admin's row: %d %s", dump.status, dump.raw)
	}
	for _, bad := range []string{"INSERT INTO items(a, pid) VALUES (-1, 1)", "INSERT INTO items(a, pid) VALUES (1, 999)"} {
		r := f.do("POST", "/api/db/shop/query", map[string]any{"sql": bad})
		f.expect(r, 400, "")
	}
	// a readonly key sees no host path
	ro, _ := f.createKey("reader", "readonly", "shop")
	r = f.as(ro, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT * FROM pragma_database_list"})
	if strings.Contains(string(r.raw), "databases") || strings.Contains(string(r.raw), ".db") {
		t.Fatalf("pragma_database_list shows the path: %s", r.raw)
	}
}
