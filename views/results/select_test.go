package results

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/views/action"
)

func rangeResult() *client.QueryResult {
	return &client.QueryResult{
		Columns: []client.Column{{Name: "id"}, {Name: "name"}, {Name: "score"}, {Name: "note"}},
		Rows: [][]any{
			{int64(1), "Ada", 1.0, nil},
			{int64(2), "tab\there", 16192.210000000001, "line\nbreak"},
			{int64(3), "Grace", 2.5, "x"},
			{int64(4), "Linus", -0.5, "y"},
		},
	}
}

// TestRangeCopy: v then moves select a rectangle that y copies as TSV
// (exact values, NULL empty, tabs and newlines escaped); shift+arrows
// start and grow one; esc and v end it.
func TestRangeCopy(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", rangeResult())
	m, _ = press(m, keyRight, runeKey('v'), keyRight, keyRight, keyDown)
	if foot := ansi.Strip(m.footer()); !strings.HasPrefix(foot, "selected 2 × 3 (6 cells)") {
		t.Fatalf("footer %q", foot)
	}
	m, got := press(m, runeKey('y'))
	c := only[action.Copy](got)
	if len(c) != 1 || c[0].Text != "Ada\t1.0\t\ntab\\there\t16192.210000000001\tline\\nbreak" {
		t.Fatalf("copy %+v", c)
	}
	if c[0].What != "2×3 cells (TSV)" {
		t.Fatalf("what %q", c[0].What)
	}
	m, _ = press(m, keyEsc)
	if m.sel != nil {
		t.Fatal("esc kept the selection")
	}
	// y without a selection copies the cell again
	m, got = press(m, runeKey('y'))
	if c := only[action.Copy](got); len(c) != 1 || c[0].Text != "line\nbreak" {
		t.Fatalf("cell copy %+v", c)
	}
	// shift+arrows start a selection at the cursor and grow it upwards
	m, _ = press(m, viewtest.Key("shift+up"), viewtest.Key("shift+left"))
	m, got = press(m, runeKey('y'))
	if c := only[action.Copy](got); len(c) != 1 || c[0].Text != "1.0\t\n16192.210000000001\tline\\nbreak" {
		t.Fatalf("shift copy %+v", c)
	}
	m, _ = press(m, runeKey('v'))
	if m.sel != nil {
		t.Fatal("v did not end the selection")
	}
}

// TestSelectionVisible: selected cells are drawn apart from the others.
func TestSelectionVisible(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", rangeResult())
	before := strings.Split(m.View(), "\n")
	m, _ = press(m, runeKey('v'), keyDown, keyDown)
	after := strings.Split(m.View(), "\n")
	if ansi.Strip(before[3]) != ansi.Strip(after[3]) {
		t.Fatalf("text changed: %q vs %q", ansi.Strip(before[3]), ansi.Strip(after[3]))
	}
	if before[3] == after[3] {
		t.Fatal("a selected row looks as before")
	}
	if before[5] != after[5] {
		t.Fatal("an unselected row changed")
	}
}

// TestRangeCopyRefusesRowsNotLoaded: a selection over rows not cached
// says so instead of copying a partial range.
func TestRangeCopyRefusesRowsNotLoaded(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", &client.QueryResult{Columns: synthCols(2), Rows: synth(0, PageSize, 2), HasMore: true})
	m.SetTotal(1, 100_000)
	m, _ = press(m, runeKey('v'), keyEnd)
	m, got := press(m, runeKey('y'))
	if st := only[action.Status](got); len(st) != 1 || !st[0].Error || !strings.Contains(st[0].Text, "not loaded") {
		t.Fatalf("status %+v", st)
	}
	if len(only[action.Copy](got)) != 0 {
		t.Fatal("a partial range was copied")
	}
}

func TestGoldenSelection(t *testing.T) {
	cols, rows := customers()
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows})
		m, _ = press(m, keyDown, keyRight, runeKey('v'), keyDown, keyDown, keyRight)
		v := m.View()
		checkSize(t, v, w, h)
		golden(t, fmt.Sprintf("selection_%dx%d", w, h), ansi.Strip(v)+"\n")
	}
}
