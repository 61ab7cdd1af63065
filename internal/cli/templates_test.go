package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplatesAndSpawnFrom(t *testing.T) {
	home := isolateEnv(t)
	tdir := filepath.Join(home, "config", "dbforge", "templates")
	if err := os.MkdirAll(tdir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tdir, "crm.sql"), "-- Contacts and deals.\nCREATE TABLE contacts(id INTEGER PRIMARY KEY, name TEXT);\n")
	data := []string{"--data", filepath.Join(home, "d")}

	out := mustRun(t, append(data, "templates", "-o", "csv")...)
	for _, want := range []string{"name,source,description\r\n", "app,bundled,", "crm,user,Contacts and deals.\r\n", "ecommerce,bundled,", "events,bundled,", "kv,bundled,"} {
		if !strings.Contains(out, want) {
			t.Fatalf("templates %q lacks %q", out, want)
		}
	}
	var r lifecycleResult
	if err := json.Unmarshal([]byte(mustRun(t, append(data, "db", "spawn", "shop", "--template", "ecommerce")...)), &r); err != nil || !*r.Created {
		t.Fatalf("spawn --template: %+v, %v", r, err)
	}
	if got := mustRun(t, append(data, "query", "shop", "SELECT count(*) AS n FROM orders", "-o", "csv")...); got != "n\r\n1500\r\n" {
		t.Fatalf("orders %q", got)
	}
	mustRun(t, append(data, "db", "spawn", "c", "--template", "crm")...)
	mustRun(t, append(data, "query", "c", "SELECT * FROM contacts")...)
	script := filepath.Join(home, "s.sql")
	writeFile(t, script, "CREATE TABLE t(x);\nINSERT INTO t VALUES (7);\n")
	mustRun(t, append(data, "db", "spawn", "f", "--from-sql", script)...)
	if got := mustRun(t, append(data, "query", "f", "SELECT x FROM t", "-o", "csv")...); got != "x\r\n7\r\n" {
		t.Fatalf("from-sql %q", got)
	}
	r2 := run(t, "CREATE TABLE u(y);", append(data, "db", "spawn", "g", "--from-sql", "-")...)
	if r2.code != 0 {
		t.Fatalf("from stdin: %+v", r2)
	}

	assertError(t, run(t, "", append(data, "db", "spawn", "x", "--template", "nope")...), 1, `emplate "nope" not found; available: app, crm, ecommerce, events, kv`)
	assertError(t, run(t, "", append(data, "db", "spawn", "shop", "--template", "kv")...), 1, "already exists")
	assertError(t, run(t, "", append(data, "db", "spawn", "x", "--template", "kv", "--from-sql", script)...), 2, "")
	assertError(t, run(t, "", append(data, "db", "spawn", "x", "--from-sql", filepath.Join(home, "missing.sql"))...), 1, "reading the script")
	writeFile(t, script, "CREATE TABLE t(x);\nINSERT INTO nope VALUES (1);\n")
	assertError(t, run(t, "", append(data, "db", "spawn", "x", "--from-sql", script)...), 1, "no such table: nope")
	assertError(t, run(t, "", append(data, "query", "x", "SELECT 1")...), 1, `database "x" not found`)
}
