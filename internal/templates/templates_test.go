package templates_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// TestBundledTemplatesRun creates a database from every bundled template
// on a real engine.
func TestBundledTemplatesRun(t *testing.T) {
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	list, err := templates.New("").List()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"app": "sessions", "ecommerce": "orders", "events": "events", "kv": "kv"}
	if len(list) != len(want) {
		t.Fatalf("bundled templates %v", list)
	}
	for _, tpl := range list {
		table, ok := want[tpl.Name]
		if !ok || tpl.Source != templates.SourceBundled || tpl.Description == "" {
			t.Fatalf("template %+v", tpl)
		}
		script, err := templates.New("").SQL(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := eng.SpawnScript(context.Background(), tpl.Name, script); err != nil {
			t.Fatalf("%s: %v", tpl.Name, err)
		}
		if _, err := eng.Exec(context.Background(), tpl.Name, engine.Query{SQL: "SELECT count(*) FROM " + table}); err != nil {
			t.Fatalf("%s has no table %s: %v", tpl.Name, table, err)
		}
	}
	res, err := eng.Exec(context.Background(), "ecommerce", engine.Query{SQL: "SELECT count(*) FROM customers"})
	if err != nil || res.Rows[0][0] != int64(400) {
		t.Fatalf("ecommerce customers: %v, %v", res, err)
	}
}

func TestUserTemplates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("crm.sql", "-- Contacts and deals.\nCREATE TABLE contacts(id INTEGER PRIMARY KEY);\n")
	write("kv.sql", "-- My own key-value store.\nCREATE TABLE mine(k, v);\n")
	write("notes.txt", "CREATE TABLE x(y);")
	write(".hidden.sql", "CREATE TABLE x(y);")
	os.Mkdir(filepath.Join(dir, "dir.sql"), 0o755)
	s := templates.New(dir)
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]templates.Template{}
	for _, tpl := range list {
		got[tpl.Name] = tpl
	}
	if len(got) != 5 || got["crm"].Source != templates.SourceUser || got["crm"].Description != "Contacts and deals." {
		t.Fatalf("templates %v", list)
	}
	if got["kv"].Source != templates.SourceUser || got["kv"].Description != "My own key-value store." {
		t.Fatalf("a user kv.sql does not replace the bundled one: %+v", got["kv"])
	}
	if sql, err := s.SQL("kv"); err != nil || sql != "-- My own key-value store.\nCREATE TABLE mine(k, v);\n" {
		t.Fatalf("SQL(kv) = %q, %v", sql, err)
	}
	for _, name := range []string{"notes", ".hidden", "dir", "../crm", "crm.sql", "", "nope"} {
		if _, err := s.SQL(name); !errors.Is(err, templates.ErrNotFound) {
			t.Errorf("SQL(%q): %v, want ErrNotFound", name, err)
		}
	}
	// a missing directory is bundled templates only
	if list, err := templates.New(filepath.Join(dir, "missing")).List(); err != nil || len(list) != 4 {
		t.Fatalf("missing dir: %v, %v", list, err)
	}
}
