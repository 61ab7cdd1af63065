package postgres

// The package's SQL text handling goes through sqltext's PostgreSQL
// dialect: these need no server.

import (
	"errors"
	"reflect"
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
