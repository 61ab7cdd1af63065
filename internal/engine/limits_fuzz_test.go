package engine

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/dbname"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// The engine's input limits under fuzzing: database names, identifiers
// and CSV bodies.

// FuzzValidName checks that a valid database name always stays a plain
// file name inside the data directory.
func FuzzValidName(f *testing.F) {
	for _, s := range []string{"db", "a.b-c_d", "..", ".", "../x", "a/b", "a\\b", "a\x00", "-x", strings.Repeat("a", 201), "ÿ"} {
		f.Add(s)
	}
	dir := filepath.Join("/", "data", "databases")
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidName(s) {
			return
		}
		p := filepath.Join(dir, s+".db")
		if filepath.Dir(p) != dir || filepath.Base(p) != s+".db" || len(s) > dbname.MaxLen {
			t.Fatalf("valid name %q escapes: %s", s, p)
		}
	})
}

// FuzzQuoteIdent checks that every identifier ValidIdentifier accepts,
// once quoted, names exactly itself in SQLite: a table and a column are
// created under it and read back, and nothing else is created.
func FuzzQuoteIdent(f *testing.F) {
	for _, s := range []string{"t", `a"b`, `"; DROP TABLE x; --`, "select", "ünï", "a b", "`x`", "[x]", `""`, "x'y", strings.Repeat("z", 128)} {
		f.Add(s)
	}
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		f.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	f.Cleanup(func() { db.Close() })
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidIdentifier(s) {
			return
		}
		q := sqltext.QuoteIdent(s)
		if _, err := db.ExecContext(ctx, "CREATE TABLE "+q+" ("+q+" INTEGER)"); err != nil {
			if strings.HasPrefix(strings.ToLower(s), "sqlite_") {
				return // reserved by SQLite, refused with an error
			}
			t.Fatalf("%q: %v", s, err)
		}
		defer db.ExecContext(ctx, "DROP TABLE "+q)
		var n int
		var name string
		if err := db.QueryRowContext(ctx, "SELECT count(*), max(name) FROM sqlite_schema").Scan(&n, &name); err != nil {
			t.Fatal(err)
		}
		if n != 1 || name != s {
			t.Fatalf("%q created %d objects, named %q", s, n, name)
		}
		var col string
		if err := db.QueryRowContext(ctx, "SELECT name FROM pragma_table_info(?)", s).Scan(&col); err != nil || col != s {
			t.Fatalf("%q: column %q %v", s, col, err)
		}
	})
}

// FuzzImportCSV imports arbitrary bodies into a new table: never a panic,
// and all or nothing: after a refused import the table does not exist,
// after an accepted one it holds exactly the rows reported.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n3,4\n", "a,b\n1\n", "\"unterminated\n", "x\n\xff\n", "a,a\n1,2\n", ",\n,\n",
		"id,name\n007,\"quoted, comma\"\n1e5,\"\"\"\"\n", "", "\n\n\n", "a\r\nb\r\n", strings.Repeat("c,", 300) + "\n",
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	e, err := Open(Config{DataDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { e.Close() })
	ctx := context.Background()
	if _, _, err := e.Spawn(ctx, "fz", ""); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, header bool) {
		res, err := e.ImportCSV(ctx, "fz", "f", bytes.NewReader(body), CSVOptions{Header: header, Create: true})
		count, cerr := e.Exec(ctx, "fz", Query{SQL: "SELECT count(*) FROM f"})
		if err != nil {
			if cerr == nil {
				t.Fatalf("a refused import (%v) left the table behind", err)
			}
			return
		}
		if cerr != nil {
			t.Fatalf("an accepted import left no table: %v", cerr)
		}
		if count.Rows[0][0] != res.Rows {
			t.Fatalf("reported %d rows, stored %v", res.Rows, count.Rows[0][0])
		}
		if _, err := e.Exec(ctx, "fz", Query{SQL: "DROP TABLE f"}); err != nil {
			t.Fatal(err)
		}
	})
}
