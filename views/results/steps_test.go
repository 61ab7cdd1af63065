package results

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

func scriptSteps() []Step {
	cols, rows := customers()
	return []Step{
		{SQL: "CREATE TABLE t (a)", Line: 1, Res: &client.QueryResult{Message: "ok"}},
		{SQL: "INSERT INTO t VALUES (1), (2)", Line: 2, Res: &client.QueryResult{Message: "ok", RowsAffected: 2, LastInsertID: 2}},
		{SQL: "SELECT * FROM customers", Line: 3, Res: &client.QueryResult{Columns: cols, Rows: rows[:20], HasMore: true}},
		{SQL: "SELECT nope FROM t", Line: 5, Err: errors.New("SQL Error: no such column: nope")},
		{SQL: "SELECT 1", Line: 6},
	}
}

// TestRunAllList: after a Run all the list shows every statement with what
// it gave, the cursor on the one that failed; enter asks to show one, and
// ShowStep shows its rows, message or error; t opens the list again.
func TestRunAllList(t *testing.T) {
	m := newTestModel(t, 78, 10)
	m.SetRunning(1, "…")
	m.SetError(errors.New("statement 4 of 5 (line 5): no such column: nope"))
	m.SetSteps(scriptSteps(), 3)
	if title := m.Title(); !strings.HasPrefix(title, "Results · statement 4 of 5 · error") {
		t.Fatalf("a failed script does not show its error first: %q", title)
	}
	m, _ = press(m, runeKey('t'))
	if m.Title() != "Results · 5 statements" {
		t.Fatalf("title %q", m.Title())
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"✓ 2 rows affected", "✓ 20+ rows", "✖ SQL Error: no such column", "not run"} {
		if !strings.Contains(v, want) {
			t.Fatalf("list lacks %q:\n%s", want, v)
		}
	}
	m, got := press(m, keyUp, keyEnter)
	shows := only[action.ShowStatement](got)
	equal(t, shows, []action.ShowStatement{{Index: 2, SQL: "SELECT * FROM customers"}})
	cmd := m.ShowStep(9, 2)
	if title := m.Title(); !strings.HasPrefix(title, "Results · statement 3 of 5 · 20+ rows") {
		t.Fatalf("title %q", title)
	}
	if fetch := only[action.FetchPage](msgs(cmd)); len(fetch) != 0 && fetch[0].QueryID != 9 {
		t.Fatalf("pages asked for another result: %+v", fetch)
	}
	if !strings.Contains(ansi.Strip(m.View()), "Ada Lovelace") {
		t.Fatal("rows not shown")
	}
	m, _ = press(m, runeKey('t'))
	if !strings.Contains(m.Title(), "5 statements") {
		t.Fatalf("t did not open the list: %q", m.Title())
	}
	m, got = press(m, keyDown, keyEnter)
	m.ShowStep(10, only[action.ShowStatement](got)[0].Index)
	if !strings.Contains(ansi.Strip(m.View()), "no such column: nope") {
		t.Fatalf("error not shown:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(m, runeKey('t'), keyDown, keyEnter)
	m.ShowStep(11, 4)
	if !strings.Contains(ansi.Strip(m.View()), "not run") {
		t.Fatal("a statement that did not run shows as something else")
	}
	m, _ = press(m, runeKey('t'), keyEsc)
	if strings.Contains(m.Title(), "5 statements") {
		t.Fatal("esc did not close the list")
	}
	// a single statement run forgets the list
	m.SetRunning(12, "select 1")
	if m, _ = press(m, runeKey('t')); strings.Contains(m.Title(), "statements") {
		t.Fatal("list kept after another run")
	}
}

func TestGoldenRunAllList(t *testing.T) {
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetRunning(1, "…")
		m.SetSteps(scriptSteps(), 3)
		m.openSteps()
		v := m.View()
		checkSize(t, v, w, h)
		golden(t, fmt.Sprintf("run_all_%dx%d", w, h), m.Title()+"\n"+ansi.Strip(v)+"\n")
	}
}
