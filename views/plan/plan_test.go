package plan

import (
	"errors"
	"flag"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

var update = flag.Bool("update", false, "rewrite golden files")

const demoSQL = `SELECT c.name, sum(o.total) FROM customers c
  JOIN orders o ON o.customer_id = c.id
 WHERE c.id IN (SELECT customer_id FROM big_orders) GROUP BY c.name`

func demoPlan() []client.PlanNode {
	return []client.PlanNode{
		{ID: 3, Parent: 0, Detail: "SCAN c"},
		{ID: 5, Parent: 0, Detail: "LIST SUBQUERY 1"},
		{ID: 8, Parent: 5, Detail: "SCAN orders"},
		{ID: 10, Parent: 5, Detail: "USE TEMP B-TREE FOR DISTINCT"},
		{ID: 20, Parent: 0, Detail: "SEARCH o USING INDEX idx_orders_customer (customer_id=?)"},
		{ID: 30, Parent: 0, Detail: "USE TEMP B-TREE FOR GROUP BY"},
	}
}

func newPane(w, h int) Model {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Plan)
	m.SetSize(w, h)
	m.SetPlan(demoSQL, demoPlan())
	m.Focus()
	return m
}

func TestTreeShape(t *testing.T) {
	lines, scans := buildTree(demoPlan())
	var got []string
	for _, l := range lines {
		got = append(got, l.prefix+l.detail)
	}
	want := []string{
		"├─ SCAN c",
		"├─ LIST SUBQUERY 1",
		"│  ├─ SCAN orders",
		"│  └─ USE TEMP B-TREE FOR DISTINCT",
		"├─ SEARCH o USING INDEX idx_orders_customer (customer_id=?)",
		"└─ USE TEMP B-TREE FOR GROUP BY",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if scans != 2 {
		t.Fatalf("%d full scans, want 2", scans)
	}
}

func TestOrphansAndCyclesKept(t *testing.T) {
	lines, _ := buildTree([]client.PlanNode{
		{ID: 2, Parent: 99, Detail: "orphan"},
		{ID: 4, Parent: 5, Detail: "a"},
		{ID: 5, Parent: 4, Detail: "b"},
		{ID: 6, Parent: 6, Detail: "self"},
	})
	if len(lines) != 4 {
		t.Fatalf("%d lines, want all 4 nodes", len(lines))
	}
}

func TestIsFullScan(t *testing.T) {
	for detail, want := range map[string]bool{
		"SCAN customers":                               true,
		"SCAN c":                                       true,
		"SCAN orders USING INDEX idx_o":                false,
		"SCAN orders USING COVERING INDEX idx_o":       false,
		"SCAN CONSTANT ROW":                            false,
		"SEARCH o USING INTEGER PRIMARY KEY (rowid=?)": false,
		"SEARCH o USING INDEX i (a=?)":                 false,
		"USE TEMP B-TREE FOR ORDER BY":                 false,
		"scan t":                                       true,
	} {
		if got := IsFullScan(detail); got != want {
			t.Errorf("IsFullScan(%q) = %v, want %v", detail, got, want)
		}
	}
}

func TestRenderAndScroll(t *testing.T) {
	m := newPane(40, 4)
	v := ansi.Strip(m.View())
	if !strings.HasPrefix(v, "2 full scans") || m.Title() != "Plan · 2 full scans" {
		t.Fatalf("summary missing:\n%s\n%s", m.Title(), v)
	}
	if !strings.Contains(v, "SCAN c  ⚠ full scan") {
		t.Fatalf("scan not marked:\n%s", v)
	}
	checkSize(t, m, 40, 4)
	m, _ = m.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "GROUP BY") || strings.Contains(v, "SCAN c") {
		t.Fatalf("G did not scroll to the end:\n%s", v)
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'l', Text: "l"})
	if m.left != 3 || !strings.HasPrefix(strings.Split(ansi.Strip(m.View()), "\n")[2], "SEARCH") {
		t.Fatalf("l did not scroll right (left %d):\n%s", m.left, ansi.Strip(m.View()))
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	m, _ = m.Update(tea.KeyPressMsg{Code: 'h', Text: "h"})
	if m.offset != 0 || m.left != 0 {
		t.Fatalf("g/h did not go back: offset %d left %d", m.offset, m.left)
	}
	checkSize(t, m, 40, 4)
}

func TestStates(t *testing.T) {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Plan)
	m.SetSize(50, 3)
	if !strings.Contains(ansi.Strip(m.View()), "ctrl+e") || m.Title() != "Plan" {
		t.Fatal("empty state missing")
	}
	m.SetPlan("SELECT 1", []client.PlanNode{{ID: 1, Detail: "SCAN CONSTANT ROW\x1b[2J"}})
	if v := m.View(); strings.Contains(v, "\x1b[2J") || !strings.Contains(ansi.Strip(v), "no full scans") {
		t.Fatalf("unsafe or wrong: %q", ansi.Strip(v))
	}
	m.SetError(errors.New("no such table: x"))
	if !strings.Contains(ansi.Strip(m.View()), "no such table") {
		t.Fatal("error not shown")
	}
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {2, 3}} {
		p := newPane(sz[0], sz[1])
		p, _ = p.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
		checkSize(t, p, sz[0], sz[1])
	}
}

// checkSize asserts m draws exactly w×h (nothing is asserted at height 0).
func checkSize(t *testing.T, m Model, w, h int) {
	t.Helper()
	if h > 0 {
		viewtest.CheckSize(t, m.View(), w, h)
	}
}

// Inner sizes of the plan tab in the reference layouts: 78×20 at 80×24 and
// 70×22 (results area, right column) at 120×40.
func TestGoldens(t *testing.T) {
	for _, sz := range [][2]int{{78, 20}, {70, 22}} {
		m := newPane(sz[0], sz[1])
		checkSize(t, m, sz[0], sz[1])
		name := "plan_" + strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1])
		viewtest.Golden(t, *update, name, ansi.Strip(m.View()))
	}
}
