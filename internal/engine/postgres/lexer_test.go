package postgres

// The package's SQL text handling goes through sqltext's PostgreSQL
// dialect: these need no server.

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

func TestBindParamsLeavesQuotedTextAlone(t *testing.T) {
	src := `SELECT ?, $$ ? :n $$, $f$ ; ? $f$, E'\' ?', x::int, a[1:2], :n, @n, :n /* ? :n */ -- ?
`
	got, args, err := bindParams(src, []any{int64(1)}, map[string]any{":n": "v"})
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT $1, $$ ? :n $$, $f$ ; ? $f$, E'\' ?', x::int, a[1:2], $2, $2, $2 /* ? :n */ -- ?
`
	if got != want || !reflect.DeepEqual(args, []any{"1", "v"}) {
		t.Fatalf("bindParams:\n got %q %v\nwant %q", got, args, want)
	}
	var bad *engine.BadInputError
	if _, _, err := bindParams("SELECT ?, $1", []any{1}, nil); !errors.As(err, &bad) {
		t.Fatalf("mixed placeholders: %v", err)
	}
	if _, _, err := bindParams("SELECT ?, '?'", []any{1, 2}, nil); !errors.As(err, &bad) {
		t.Fatalf("count mismatch: %v", err)
	}
}

func TestRefusedReadsWordsNotText(t *testing.T) {
	for sql, want := range map[string]bool{
		"COPY t FROM STDIN":                         true,
		"/* c */ prepare\n transaction 'x'":         true,
		"SELECT 'PREPARE TRANSACTION'":              false,
		"PREPARE p AS SELECT 1":                     false,
		"SELECT $$a; COPY t FROM STDIN$$":           false,
		"-- COPY\nSELECT 1":                         false,
		"PREPARE /* TRANSACTION */ p AS SELECT 'x'": false,
	} {
		if got := refused(sql) != nil; got != want {
			t.Errorf("refused(%q) = %v, want %v", sql, got, want)
		}
	}
}

// TestScriptSplitKeepsDollarBodies: a semicolon in a function body does
// not end the statement, so its COMMIT text is not transaction control.
func TestScriptSplitKeepsDollarBodies(t *testing.T) {
	script := "BEGIN;\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN; COMMIT; END $$ LANGUAGE plpgsql;\nCOMMIT;"
	stmts := splitScript(script)
	if len(stmts) != 3 || stmts[1].line != 2 || !reflect.DeepEqual(stmts[1].words, []string{"CREATE", "FUNCTION"}) {
		t.Fatalf("split: %+v", stmts)
	}
	run, err := checkScript(script, stmts)
	if err != nil || !reflect.DeepEqual(run, []bool{false, true, false}) {
		t.Fatalf("checkScript: %v %v", run, err)
	}
	if copiesStdio("COPY t FROM '/tmp/stdin.csv'") || !copiesStdio("copy t to stdout") {
		t.Fatal("copiesStdio must read words")
	}
}

// TestDumpFilterDropsOnlyPsqlLines: the \restrict line at the top and the
// \unrestrict line with the same key go; a data line starting with a
// backslash, or an \unrestrict with another key, stays, whatever the
// write boundaries.
func TestDumpFilterDropsOnlyPsqlLines(t *testing.T) {
	in := "--\n-- PostgreSQL database dump\n--\n\n\\restrict K1\n\nSET x = 1;\nINSERT INTO t VALUES ('a\n\\restrict K2\n\\unrestrict K9\n');\n" +
		strings.Repeat("x", 600) + "\n\\" + strings.Repeat("y", 600) + "\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict K1\n\n"
	want := strings.Replace(strings.Replace(in, "\\restrict K1\n", "", 1), "\\unrestrict K1\n", "", 1)
	for _, step := range []int{1, 3, 7, 64, len(in)} {
		var out strings.Builder
		f := &dumpFilter{w: &out}
		for i := 0; i < len(in); i += step {
			if _, err := f.Write([]byte(in[i:min(i+step, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		if out.String() != want {
			t.Fatalf("writes of %d bytes:\n%q\nwant\n%q", step, out.String(), want)
		}
	}
}
