package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// bigSetup is the 1M-row table of the sort and export flows.
const bigSetup = `CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000000)
	SELECT x, x*1.5 AS r, 'row '||x AS t FROM c`

func TestOrderedSQL(t *testing.T) {
	cols := []string{"x", `we"ird`, "t"}
	cases := []struct {
		base string
		a    action.Reorder
		want string
		arg  any
	}{
		{"SELECT * FROM big;", action.Reorder{Columns: cols, Sort: "x"},
			"SELECT * FROM (\nSELECT * FROM big\n) ORDER BY \"x\", 1, 2, 3", nil},
		{"select 1 -- note", action.Reorder{Columns: cols, Sort: `we"ird`, Desc: true},
			"SELECT * FROM (\nselect 1 -- note\n) ORDER BY \"we\"\"ird\" DESC, 1, 2, 3", nil},
		{"WITH a AS (SELECT 1) SELECT * FROM a", action.Reorder{Columns: cols, Filter: "o'k"},
			"SELECT * FROM (\nWITH a AS (SELECT 1) SELECT * FROM a\n) WHERE CAST(\"x\" AS TEXT) LIKE ?1 OR CAST(\"we\"\"ird\" AS TEXT) LIKE ?1 OR CAST(\"t\" AS TEXT) LIKE ?1",
			[]any{"%o'k%"}},
	}
	for _, c := range cases {
		got, counted, arg, err := orderedSQL(c.base, c.a)
		if err != nil || got != c.want {
			t.Fatalf("orderedSQL(%q) = %q, %v\nwant %q", c.base, got, err, c.want)
		}
		equalAny(t, arg, c.arg)
		if want, _, _ := strings.Cut(c.want, " ORDER BY "); counted != want {
			t.Fatalf("counted %q, want %q", counted, want)
		}
	}
	for _, base := range []string{"PRAGMA table_info(big)", "INSERT INTO big VALUES (1, 2, 3) RETURNING *", "SELECT 1; SELECT 2"} {
		if _, _, _, err := orderedSQL(base, action.Reorder{Columns: cols, Sort: "x"}); err == nil {
			t.Fatalf("%q was wrapped", base)
		}
	}
	if _, _, _, err := orderedSQL("SELECT 1 AS a, 2 AS A", action.Reorder{Columns: []string{"a", "A"}, Sort: "a"}); err == nil {
		t.Fatal("columns sharing a name were wrapped")
	}
}

func equalAny(t *testing.T, got, want any) {
	t.Helper()
	g, _ := got.([]any)
	w, _ := want.([]any)
	if len(g) != len(w) || (got == nil) != (want == nil) {
		t.Fatalf("params %#v, want %#v", got, want)
	}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("params %#v, want %#v", got, want)
		}
	}
}

// TestSortAndFilterMillionRows sorts and filters a 1M-row result with the
// keys: the database does the work (the first page shows the largest
// value, the title counts the filtered rows against the whole result),
// and filter text with SQL in it is only ever a value.
func TestSortAndFilterMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	l := startLive(t, 120, 40, Options{}, "big", bigSetup)
	l.runInEditor("SELECT * FROM big", ctrl('r'))
	l.waitGrid("the first page", func() bool { return strings.Contains(l.gridText(), "row 1 ") })
	l.press(kp("alt+5"), kp("l"), kp("s"))
	l.waitGrid("ascending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by r ↑") })
	l.press(kp("s"))
	l.waitGrid("descending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by r ↓") })
	first := strings.Split(l.gridText(), "\n")[2]
	if !strings.Contains(first, "1000000") || !strings.Contains(first, "row 1000000") {
		t.Fatalf("first row after sorting descending: %q", first)
	}
	if title := l.m.grid.model().Title(); !strings.Contains(title, "1,000,000 rows") && !strings.Contains(title, "200+ rows") {
		t.Fatalf("title %q", title)
	}

	l.press(kp("/"))
	l.typeText("99999")
	l.press(kp("enter"))
	var want int64
	res, err := l.api.Client.Query(context.Background(), "big",
		client.QueryRequest{SQL: "SELECT count(*) FROM big WHERE x LIKE '%99999%' OR r LIKE '%99999%' OR t LIKE '%99999%'", Shape: "rows"})
	if err != nil {
		t.Fatal(err)
	}
	want = res.Rows[0][0].(int64)
	wantTitle := humanize.Comma(want) + " of 1,000,000 rows"
	l.until("the filtered count", func() bool { return strings.Contains(l.m.grid.model().Title(), wantTitle) })
	for _, q := range l.api.since(0) {
		if strings.HasPrefix(q.SQL, "SELECT COUNT(*)") && strings.Contains(q.SQL, "ORDER BY") {
			t.Fatalf("a count sorts first: %q", q.SQL)
		}
	}
	title := l.m.grid.model().Title()
	if !strings.Contains(title, "sorted by r ↓") || !strings.Contains(title, "filter “99999”") {
		t.Fatalf("title %q", title)
	}
	first = strings.Split(l.gridText(), "\n")[2]
	if !strings.Contains(first, "999999") {
		t.Fatalf("first filtered row: %q", first)
	}

	// SQL typed as a filter is a value: nothing matches, nothing is dropped
	l.press(kp("/"), kp("ctrl+u"))
	l.typeText(`x'; DROP TABLE big; --`)
	l.press(kp("enter"))
	l.until("the empty filter result", func() bool { return strings.Contains(l.m.grid.model().Title(), "0 of 1,000,000 rows") })
	if _, err := l.api.Client.Query(context.Background(), "big", client.QueryRequest{SQL: "SELECT count(*) FROM big"}); err != nil {
		t.Fatalf("table gone after a filter: %v", err)
	}

	// clearing the filter shows every row again, still sorted
	l.press(kp("/"), kp("ctrl+u"), kp("enter"))
	l.until("the whole result", func() bool {
		title := l.m.grid.model().Title()
		return strings.Contains(title, "1,000,000 rows") && !strings.Contains(title, "filter") && strings.Contains(title, "↓")
	})
}

// TestSortRefusedForPragma: a result that cannot be a subquery is not run
// again; the status bar says why.
func TestSortRefusedForPragma(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("PRAGMA table_info(people)", ctrl('r'))
	l.waitGrid("the pragma", func() bool { return strings.Contains(l.gridText(), "name") })
	before := l.api.count()
	l.press(kp("alt+5"), kp("s"))
	l.drain()
	if !strings.Contains(l.status(), "SELECT, WITH and VALUES") {
		t.Fatalf("status %q", l.status())
	}
	if n := len(l.api.since(before)); n != 0 {
		t.Fatalf("%d queries after refusing", n)
	}
	if strings.Contains(l.m.grid.model().Title(), "sorting") {
		t.Fatalf("title still waiting: %q", l.m.grid.model().Title())
	}
}

// A statement with placeholders of its own is not filtered (the filter's
// bound text would fill them; reorder puts the refusal in the status bar);
// sorting it still works.
func TestFilterRefusedForAStatementWithParameters(t *testing.T) {
	for _, base := range []string{"SELECT * FROM t WHERE ? IS NULL", "SELECT * FROM t WHERE a = :a", "SELECT * FROM t WHERE a = ?1"} {
		if _, _, _, err := orderedSQL(base, action.Reorder{Columns: []string{"a"}, Filter: "x"}); err != errFilterParams {
			t.Errorf("%q filtered: %v", base, err)
		}
		if _, _, _, err := orderedSQL(base, action.Reorder{Columns: []string{"a"}, Sort: "a"}); err != nil {
			t.Errorf("%q not sorted: %v", base, err)
		}
	}
	if _, _, _, err := orderedSQLIn(sqltext.Postgres, "SELECT * FROM t WHERE a = $1", action.Reorder{Columns: []string{"a"}, Filter: "x"}); err != errFilterParams {
		t.Errorf("PostgreSQL $1 filtered: %v", err)
	}
}

// TestRunAllShowsEachStatement: F6 runs a script; the results pane lists
// every statement, and enter on one shows its rows, paged with its own SQL.
func TestRunAllShowsEachStatement(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "big", bigSetup)
	l.runInEditor("SELECT x FROM big WHERE x <= 300;\nSELECT count(*) AS n FROM big;\nSELECT t FROM big WHERE x = 7", kp("f6"))
	l.until("the list", func() bool { return strings.Contains(l.m.grid.model().Title(), "3 statements") })
	v := l.gridText()
	for _, want := range []string{"✓ 200+ rows", "✓ 1 row"} {
		if !strings.Contains(v, want) {
			t.Fatalf("list lacks %q:\n%s", want, v)
		}
	}
	l.press(kp("alt+5"), kp("g"), kp("enter"))
	l.waitGrid("the first statement", func() bool {
		return strings.Contains(l.m.grid.model().Title(), "statement 1 of 3")
	})
	l.press(kp("G"))
	l.until("the last row of the first statement", func() bool { return strings.Contains(l.gridText(), "300 ") })
	if title := l.m.grid.model().Title(); !strings.Contains(title, "300 rows") {
		t.Fatalf("title %q", title)
	}
	l.press(kp("t"), kp("j"), kp("enter"))
	l.until("the second statement", func() bool {
		return strings.Contains(l.m.grid.model().Title(), "statement 2 of 3") && strings.Contains(l.gridText(), "1000000")
	})
}

// TestRangeCopyMillionRows: on a 1M-row result sorted descending, v and
// moves select a rectangle; y puts it on the clipboard (OSC 52) as TSV.
func TestRangeCopyMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	l := startLive(t, 120, 40, Options{}, "big", bigSetup)
	l.runInEditor("SELECT * FROM big", ctrl('r'))
	l.waitGrid("the first page", func() bool { return strings.Contains(l.gridText(), "row 1 ") })
	l.press(kp("alt+5"), kp("s"))
	l.waitGrid("ascending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by x ↑") })
	l.press(kp("s"))
	l.waitGrid("descending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by x ↓") })
	l.press(kp("l"), kp("v"), kp("j"), kp("j"), kp("l"))
	if !strings.Contains(l.gridText(), "selected 3 × 2 (6 cells)") {
		t.Fatalf("selection not shown:\n%s", l.gridText())
	}
	_, cmd := l.m.Update(kp("y"))
	_, clip := l.m.Update(cmd())
	if clip == nil {
		t.Fatal("no clipboard command")
	}
	if got := fmt.Sprint(clip()); got != "1500000.0\trow 1000000\n1499998.5\trow 999999\n1499997.0\trow 999998" {
		t.Fatalf("clipboard got %q", got)
	}
	if l.status() != "copied 3×2 cells (TSV)" {
		t.Fatalf("status %q", l.status())
	}
}

// TestSortedResultPagesAsAWhole: pages and the count of a sorted result
// come from the sorted statement: G on 100,000 rows sorted descending
// reaches x = 1, and paging back up shows the rows in order.
func TestSortedResultPagesAsAWhole(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "big",
		`CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 100000) SELECT x, 'row '||x AS t FROM c`)
	l.runInEditor("SELECT * FROM big", ctrl('r'))
	l.waitGrid("the first page", func() bool { return strings.Contains(l.gridText(), "row 1 ") })
	l.press(kp("alt+5"), kp("s"), kp("s"))
	l.waitGrid("descending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by x ↓") })
	l.press(kp("G"))
	l.until("the last row of the sorted result", func() bool {
		row, _ := l.m.grid.model().Cursor()
		return row == 99_999 && strings.Contains(l.gridText(), "│ row 1 ")
	})
	if title := l.m.grid.model().Title(); !strings.Contains(title, "100,000 rows · sorted by x ↓") {
		t.Fatalf("title %q", title)
	}
	l.press(kp("pgup"))
	l.until("the page above", func() bool { return strings.Contains(l.gridText(), "│ row 30 ") })
	lines := strings.Split(l.gridText(), "\n")
	prev, checked := 1<<30, 0
	for _, line := range lines[2 : len(lines)-1] {
		var n, x int
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "%d │ %d", &n, &x); err != nil {
			continue
		}
		if x >= prev || n+x != 100_001 {
			t.Fatalf("row %d shows x = %d:\n%s", n, x, l.gridText())
		}
		prev, checked = x, checked+1
	}
	if checked < 10 {
		t.Fatalf("only %d rows read:\n%s", checked, l.gridText())
	}
}

// TestOrderedSQLPostgres: on PostgreSQL the wrappers name their subquery
// (required before PostgreSQL 16) and the filter is ILIKE on $1; a
// dollar-quoted semicolon keeps the statement one statement.
func TestOrderedSQLPostgres(t *testing.T) {
	cols := []string{"x", "t"}
	got, counted, arg, err := orderedSQLIn(sqltext.Postgres, "SELECT x, $$a;b$$ AS t FROM big;", action.Reorder{Columns: cols, Sort: "t", Desc: true, Filter: "O'k"})
	const base = "SELECT * FROM (\nSELECT x, $$a;b$$ AS t FROM big\n) AS dbforge_rows WHERE CAST(\"x\" AS TEXT) ILIKE $1 OR CAST(\"t\" AS TEXT) ILIKE $1"
	if err != nil || got != base+` ORDER BY "t" DESC, 1, 2` || counted != base {
		t.Fatalf("got %q, counted %q, %v", got, counted, err)
	}
	equalAny(t, arg, []any{"%O'k%"})
	if _, _, _, err := orderedSQL("SELECT x, $$a;b$$ AS t FROM big", action.Reorder{Columns: cols, Sort: "x"}); err == nil {
		t.Error("SQLite rules wrapped what they read as two statements")
	}
	if got := countSQL(sqltext.Postgres, "SELECT 1;"); got != "SELECT COUNT(*) FROM (\nSELECT 1\n) AS dbforge_rows" {
		t.Errorf("countSQL postgres = %q", got)
	}
	if got := countSQL(sqltext.SQLite, "SELECT 1;"); got != "SELECT COUNT(*) FROM (\nSELECT 1\n)" {
		t.Errorf("countSQL sqlite = %q", got)
	}
}

// TestResultWrappersFollowTheBackend: the count and filter a PostgreSQL
// database's result asks for are written in PostgreSQL's SQL.
func TestResultWrappersFollowTheBackend(t *testing.T) {
	f := newFake()
	f.dbs[0].Backend = client.BackendPostgres // demo, current
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	send := func(msg tea.Msg) { _, cmd := m.Update(msg); run(m, cmd) }
	send(action.RunQuery{SQL: "SELECT * FROM t", Source: "editor"})
	id := m.query.id
	send(action.CountRows{QueryID: id})
	send(action.Reorder{QueryID: id, Columns: []string{"a"}, Filter: "x", Seq: 1})
	var count, filter bool
	for _, q := range f.queries {
		count = count || q == "SELECT COUNT(*) FROM (\nSELECT * FROM t\n) AS dbforge_rows"
		filter = filter || strings.Contains(q, `) AS dbforge_rows WHERE CAST("a" AS TEXT) ILIKE $1`)
	}
	if !count || !filter {
		t.Fatalf("count %v, filter %v in %q", count, filter, f.queries)
	}
}
