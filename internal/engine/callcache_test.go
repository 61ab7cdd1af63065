package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestSplitCacheBounded: the statements of call texts are remembered per
// database, within maxTextCache entries in all and only for short texts;
// texts that are not exactly one statement are refused as before.
func TestSplitCacheBounded(t *testing.T) {
	var s splitCache
	st, err := s.one("a", " SELECT 1 ; ")
	if err != nil || st.Text != "SELECT 1" {
		t.Fatalf("one = %+v, %v", st, err)
	}
	if _, ok := s.get(splitKey{"b", " SELECT 1 ; "}); ok {
		t.Error("an entry of database a answers for database b")
	}
	if _, err := s.one("a", "SELECT 1; SELECT 2"); !errors.Is(err, ErrMultipleStatements) {
		t.Errorf("two statements: %v", err)
	}
	if _, err := s.one("a", " -- nothing\n"); !errors.Is(err, ErrEmptyStatement) {
		t.Errorf("no statement: %v", err)
	}
	long := "SELECT '" + strings.Repeat("x", maxSplitText) + "'"
	if _, err := s.one("a", long); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.get(splitKey{"a", long}); ok {
		t.Error("a text past maxSplitText was kept")
	}
	for i := range 3 * maxTextCache {
		if _, err := s.one("a", "SELECT "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		if n := s.n.Load(); n > maxTextCache {
			t.Fatalf("%d entries", n)
		}
	}
}

// TestRepeatedQueryColumnsFollowTheSchema: a cached statement's result
// columns are remembered, and learnt again when the schema changes under
// the same text (a new column, a table made again with other types).
func TestRepeatedQueryColumnsFollowTheSchema(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a INTEGER)")
	exec(t, e, "d", "INSERT INTO t VALUES (1)")
	describe := func(r *Result) string {
		var parts []string
		for _, c := range r.Columns {
			parts = append(parts, c.Name+" "+c.Type)
		}
		return strings.Join(parts, ", ")
	}
	for _, step := range []struct{ ddl, want string }{
		{"", "a INTEGER"},
		{"", "a INTEGER"},
		{"ALTER TABLE t ADD COLUMN b VARCHAR(5)", "a INTEGER, b VARCHAR(5)"},
		{"", "a INTEGER, b VARCHAR(5)"},
		{"DROP TABLE t; CREATE TABLE t(a TEXT, b BLOB); INSERT INTO t VALUES ('x', x'00')", "a TEXT, b BLOB"},
		{"", "a TEXT, b BLOB"},
		// read through the exact wrapper (a time column)
		{"DROP TABLE t; CREATE TABLE t(a TEXT, b DATETIME); INSERT INTO t VALUES ('x', '2024-01-02T10:00:00Z')", "a TEXT, b DATETIME"},
		{"", "a TEXT, b DATETIME"},
		{"DROP TABLE t; CREATE TABLE t(a INT, b DATE); INSERT INTO t VALUES (1, '2024-01-02')", "a INT, b DATE"},
		{"", "a INT, b DATE"},
	} {
		if step.ddl != "" {
			for s := range strings.SplitSeq(step.ddl, "; ") {
				exec(t, e, "d", s)
			}
		}
		for range 3 { // every reader of the pool
			if got := describe(exec(t, e, "d", "SELECT * FROM t")); got != step.want {
				t.Fatalf("after %q: columns %q, want %q", step.ddl, got, step.want)
			}
		}
	}
}

// TestReaderValueLimitAfterANarrowShare: a query's per-value share of the
// limit stays set on its reader for the next query, so a call that reads
// whole values (an export) on the same reader sets the full limit again.
func TestReaderValueLimitAfterANarrowShare(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1; c.MaxResultBytes = 1 << 20 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a, b, c, d, e)")
	exec(t, e, "d", "INSERT INTO t VALUES (randomblob(600000), 1, 2, 3, 4)")
	// five columns: each may hold a fifth of the 1 MiB limit
	if _, err := e.Exec(context.Background(), "d", Query{SQL: "SELECT a, b, c, d, e FROM t"}); err == nil {
		t.Fatal("a 600 kB value in a five-column result was not refused")
	}
	exec(t, e, "d", "SELECT b, c, d, e, 5 FROM t")
	var out strings.Builder
	if _, err := e.ExportCSV(context.Background(), "d", "t", &out); err != nil {
		t.Fatalf("export after a narrow share: %v", err)
	}
	if out.Len() < 600000 {
		t.Errorf("export wrote %d bytes", out.Len())
	}
	if res := exec(t, e, "d", "SELECT length(a) FROM t"); res.Rows[0][0] != int64(600000) {
		t.Errorf("one column after the export: %v", res.Rows[0][0])
	}
}
