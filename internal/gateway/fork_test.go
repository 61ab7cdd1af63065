package gateway

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

func TestForkRoute(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxDatabases: 4}, Options{})
	f.spawn("a")
	f.exec("a", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	f.exec("a", "INSERT INTO t(v) VALUES ('x')")

	r := f.do("POST", "/admin/databases/a/fork/b", nil)
	f.expect(r, 201, "Database forked.")
	if r.str("db_name") != "b" || r.str("source") != "a" || r.str("status") != "running" || r.str("container_id") == "" {
		t.Fatalf("fork answer: %s", r.raw)
	}
	// independent copies
	f.exec("b", "INSERT INTO t(v) VALUES ('only in b')")
	if got := f.exec("a", "SELECT count(*) AS n FROM t").raw; !strings.Contains(string(got), `"n":1`) {
		t.Fatalf("a after a write to its fork: %s", got)
	}

	// the target exists → 409; a bad name → 400; an unknown source → 404
	r = f.do("POST", "/admin/databases/a/fork/b", nil)
	f.expect(r, 409, "Database already exists.")
	if r.code() != "DATABASE_ALREADY_EXISTS" {
		t.Fatalf("code %s", r.code())
	}
	f.expect(f.do("POST", "/admin/databases/a/fork/-bad", nil), 400, msgInvalidName)
	f.expect(f.do("POST", "/admin/databases/a/fork/..", nil), 400, "")
	f.expect(f.do("POST", "/admin/databases/nosuch/fork/c", nil), 404, msgNotFound)
	r = f.do("POST", "/admin/databases/a/fork/c?backup=20200101T000000.000Z-00000000.db", nil)
	f.expect(r, 404, "Backup not found.")
	f.expect(f.do("POST", "/admin/databases/a/fork/c?backup=..%2F..%2Fcatalog.db", nil), 400, "")

	// from a backup point
	f.expect(f.do("POST", "/admin/databases/a/backup", nil), 201, "")
	bk := f.do("GET", "/admin/databases/a/backups", nil).list[0].(map[string]any)["name"].(string)
	f.exec("a", "INSERT INTO t(v) VALUES ('after the backup')")
	r = f.do("POST", "/admin/databases/a/fork/c?backup="+bk, nil)
	f.expect(r, 201, "")
	if r.str("backup") != bk {
		t.Fatalf("fork answer: %s", r.raw)
	}
	if got := f.exec("c", "SELECT count(*) AS n FROM t").raw; !strings.Contains(string(got), `"n":1`) {
		t.Fatalf("fork of the backup: %s", got)
	}

	// a, b, c and d fill the limit of 4
	f.expect(f.do("POST", "/admin/databases/a/fork/d", nil), 201, "")
	r = f.do("POST", "/admin/databases/a/fork/e", nil)
	f.expect(r, 409, "")
	if r.code() != "DATABASE_LIMIT_REACHED" {
		t.Fatalf("code %s", r.code())
	}
}

// TestForkScope: a fork needs an admin key with both databases in scope.
func TestForkScope(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("a")
	f.spawn("other")
	onlyA, _ := f.createKey("only-a", "admin", "a")
	both, _ := f.createKey("a-and-b", "admin", "a", "b")
	writer, _ := f.createKey("writer", "readwrite", "a", "b")
	f.expect(f.as(onlyA, "POST", "/admin/databases/a/fork/b", nil), 403, msgNotInScope)
	f.expect(f.as(onlyA, "POST", "/admin/databases/other/fork/a2", nil), 403, msgNotInScope)
	f.expect(f.as(writer, "POST", "/admin/databases/a/fork/b", nil), 403, "")
	f.expect(f.as(both, "POST", "/admin/databases/a/fork/b", nil), 201, "")
	f.expect(f.as(onlyA, "GET", "/admin/databases/b", nil), 403, "")
	f.expect(f.doWith("POST", "/admin/databases/a/fork/z", nil, nil), 401, "")
}
