package results

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

func reorders(ms []tea.Msg) []action.Reorder { return only[action.Reorder](ms) }

// TestSortKeyCycles: s on a column asks for ascending, then descending,
// then the statement's own order; another column starts ascending again.
func TestSortKeyCycles(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 50, 3)})
	m, got := press(m, keyRight, runeKey('s'))
	rs := reorders(got)
	equal(t, rs, []action.Reorder{{QueryID: 1, Columns: []string{"col0", "col1", "col2"}, Sort: "col1", Seq: 1}})
	if !strings.Contains(m.Title(), "sorting…") {
		t.Fatalf("title while sorting: %q", m.Title())
	}
	m.SetReordered(2, &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 50, 3)}, rs[0])
	if title := m.Title(); !strings.Contains(title, "sorted by col1 ↑") || strings.Contains(title, "sorting…") {
		t.Fatalf("title %q", title)
	}
	if _, col := m.Cursor(); col != 1 {
		t.Fatalf("cursor column %d after sorting", col)
	}
	m, got = press(m, runeKey('s'))
	rs = reorders(got)
	if len(rs) != 1 || rs[0].QueryID != 2 || rs[0].Sort != "col1" || !rs[0].Desc {
		t.Fatalf("second s: %+v", rs)
	}
	m.SetReordered(3, &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 50, 3)}, rs[0])
	m, got = press(m, runeKey('s'))
	if rs = reorders(got); len(rs) != 1 || rs[0].Sort != "" || rs[0].Desc {
		t.Fatalf("third s: %+v", rs)
	}
	m, got = press(m, keyLeft, runeKey('s'))
	if rs = reorders(got); len(rs) != 1 || rs[0].Sort != "col0" || rs[0].Desc {
		t.Fatalf("s on another column: %+v", rs)
	}
}

// TestFilterPrompt: / opens the prompt with the current filter, enter asks
// for it, esc changes nothing; a filtered result counts itself and the
// whole result for "N of M rows".
func TestFilterPrompt(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 200, 3), HasMore: true})
	m, got := press(m, runeKey('/'))
	if !m.InTextInput() || len(reorders(got)) != 0 {
		t.Fatal("the filter prompt did not open")
	}
	m, _ = press(m, runeKey('n'), runeKey('a'))
	m, got = press(m, keyEsc)
	if m.InTextInput() || len(reorders(got)) != 0 || m.order.filter != "" {
		t.Fatal("esc applied the filter")
	}
	m, _ = press(m, runeKey('/'), runeKey('9'), runeKey('%'))
	if !strings.Contains(ansi.Strip(m.View()), "filter: 9%") {
		t.Fatalf("prompt not drawn:\n%s", ansi.Strip(m.View()))
	}
	m, got = press(m, keyEnter)
	rs := reorders(got)
	if len(rs) != 1 || rs[0].Filter != "9%" || rs[0].Sort != "" {
		t.Fatalf("enter: %+v", rs)
	}
	cmd := m.SetReordered(5, &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 200, 3), HasMore: true}, rs[0])
	ms := msgs(cmd)
	if c := only[action.CountRows](ms); len(c) != 1 || c[0].QueryID != 5 {
		t.Fatalf("filtered result not counted: %#v", ms)
	}
	if c := only[action.CountBase](ms); len(c) != 1 || c[0].QueryID != 5 {
		t.Fatalf("whole result not counted: %#v", ms)
	}
	m.SetTotal(5, 321)
	m.SetBaseTotal(5, 1000000)
	m.SetBaseTotal(4, 7) // stale
	if title := m.Title(); !strings.Contains(title, "321 of 1,000,000 rows") || !strings.Contains(title, "filter “9%”") {
		t.Fatalf("title %q", title)
	}
	// the prompt opens on the filter that applies; enter on it asks nothing
	m, _ = press(m, runeKey('/'))
	if m.filterInput.Value() != "9%" {
		t.Fatalf("prompt holds %q", m.filterInput.Value())
	}
	m, got = press(m, keyEnter)
	if len(reorders(got)) != 0 {
		t.Fatal("an unchanged filter was asked for again")
	}
	// sorting a filtered result keeps the whole result's count
	m, got = press(m, runeKey('s'))
	rs = reorders(got)
	if len(rs) != 1 || rs[0].Filter != "9%" || rs[0].Sort != "col0" {
		t.Fatalf("sort keeps the filter: %+v", rs)
	}
	ms = msgs(m.SetReordered(6, &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 10, 3)}, rs[0]))
	if len(only[action.CountBase](ms)) != 0 {
		t.Fatal("the whole result counted again")
	}
	if title := m.Title(); !strings.Contains(title, "10 of 1,000,000 rows") {
		t.Fatalf("title %q", title)
	}
}

// TestReorderFailedKeepsResult: a refused sort leaves the result as it was.
func TestReorderFailedKeepsResult(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "pragma …", &client.QueryResult{Columns: synthCols(2), Rows: synth(0, 5, 2)})
	m, _ = press(m, runeKey('s'))
	m.ReorderFailed(1)
	if title := m.Title(); strings.Contains(title, "sorting") || strings.Contains(title, "sorted") {
		t.Fatalf("title %q", title)
	}
	if m.QueryID() != 1 || len(m.Rows()) != 5 {
		t.Fatal("result lost")
	}
}

func TestGoldenSortedFiltered(t *testing.T) {
	cols, rows := customers()
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows, ExecutionTimeMS: 3.24})
		m, _ = press(m, keyRight, keyRight, keyRight)
		sorted := slices.Clone(rows[:12])
		slices.SortFunc(sorted, func(a, b []any) int { return cmp.Compare(b[3].(float64), a[3].(float64)) })
		m.SetReordered(2, &client.QueryResult{Columns: cols, Rows: sorted, ExecutionTimeMS: 8.5},
			action.Reorder{Sort: "balance", Desc: true, Filter: "on"})
		m.SetTotal(2, 12)
		m.SetBaseTotal(2, 60)
		v := m.View()
		checkSize(t, v, w, h)
		golden(t, fmt.Sprintf("sorted_filtered_%dx%d", w, h), m.Title()+"\n"+ansi.Strip(v)+"\n")
		m, _ = press(m, runeKey('/'))
		golden(t, fmt.Sprintf("filter_prompt_%dx%d", w, h), ansi.Strip(m.View())+"\n")
	}
}

// TestSortKeysWhileWaiting: s pressed again before the answer builds on
// the order asked for, not on the one shown.
func TestSortKeysWhileWaiting(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", &client.QueryResult{Columns: synthCols(3), Rows: synth(0, 50, 3)})
	m, got := press(m, runeKey('s'), runeKey('s'))
	rs := reorders(got)
	if len(rs) != 2 || rs[0].Desc || !rs[1].Desc || rs[1].Sort != "col0" {
		t.Fatalf("s s: %+v", rs)
	}
	m, got = press(m, runeKey('/'), runeKey('z'), keyEnter)
	if rs = reorders(got); len(rs) != 1 || !rs[0].Desc || rs[0].Filter != "z" {
		t.Fatalf("filter while waiting: %+v", rs)
	}
}
