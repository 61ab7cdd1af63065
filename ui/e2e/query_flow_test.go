package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/dbforge/dbforge/ui"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// TestExploreAndQueryDemo is the keyboard-only tour of an unknown
// database, in the wide and the narrow layout: find a table in the schema,
// preview it, write a JOIN with completion, run it, scroll, inspect a cell,
// copy a row, export it, chart it, see its plan, quit.
func TestExploreAndQueryDemo(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			exploreAndQuery(t, size[0], size[1])
		})
	}
}

func exploreAndQuery(t *testing.T, w, h int) {
	api := testgw.Start(t, t.TempDir())
	m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", SeedDemo: true, Refresh: time.Hour})
	scr := &screens{}
	tm := teatest.NewTestModel(t, probe{m: m, rec: scr}, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	scr.wait(t, "created the demo database")

	// the schema: find orders and preview it
	tm.Type("2")
	scr.wait(t, "Schema · 4 tables", "orders")
	tm.Type("jj")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "[Results]", "customer_id", "100 rows")

	// a JOIN typed in the editor, with completion of the table name
	tm.Type("4")
	keys(tm, tea.KeyPressMsg{Code: 'a', Mod: tea.ModAlt})
	tm.Type("SELECT c.country, count(*) AS orders FROM cus")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyTab})
	scr.wait(t, "FROM customers")
	tm.Type(" c JOIN orders o ON o.customer_id = c.id GROUP BY c.country ORDER BY orders DESC")
	keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	scr.wait(t, "country", "query done")
	keys(tm, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
	scr.wait(t, "[Results]", "country", "row 1 of", "col 1 of 2")

	// scroll down and right, open the cell, copy the row
	tm.Type("jjl")
	scr.wait(t, "row 3 of", "col 2 of 2")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "orders", "· row 3", "esc close")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEscape})
	scr.wait(t, "row 3 of")
	tm.Type("Y")
	scr.wait(t, "copied row")

	// export to CSV
	path := filepath.Join(t.TempDir(), "by-country.csv")
	tm.Type("e")
	scr.wait(t, "export to:")
	keys(tm, tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	tm.Type(path)
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "exported")

	// chart the GROUP BY, then the plan of the statement
	tm.Type("]")
	scr.wait(t, "[Chart]", "bar · orders by country")
	tm.Type("4")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyF7})
	keys(tm, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
	scr.wait(t, "[Plan]", "SCAN")

	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\r\n") // RFC 4180, as dbforge export writes
	if lines[0] != "country,orders" || len(lines) < 3 {
		t.Fatalf("export:\n%s", data)
	}
	// the narrow status bar cuts the path; the count always shows
	if !scr.ever(fmt.Sprintf("exported %d rows to ", len(lines)-1)) {
		t.Fatalf("status did not report %d rows", len(lines)-1)
	}
}

// TestEditRunEditWithoutRefocusing is the editing loop: type a query, run
// it, keep typing and run again — no key moves the focus, nothing typed is
// lost, and each answer reaches the grid.
func TestEditRunEditWithoutRefocusing(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			api := testgw.Start(t, t.TempDir())
			m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", SeedDemo: true, Refresh: time.Hour})
			scr := &screens{}
			tm := teatest.NewTestModel(t, probe{m: m, rec: scr}, teatest.WithInitialTermSize(size[0], size[1]))
			t.Cleanup(func() { _ = tm.Quit() })
			scr.wait(t, "created the demo database")

			tm.Type("4")
			tm.Type("SELECT 41")
			keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
			scr.wait(t, "query done")
			// keep typing at once: e, j, q, 1 are Results/global keys, here they are text
			tm.Type("+1 AS eqj1")
			keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
			keys(tm, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
			scr.wait(t, "[Results]", "col 1 of 1 · eqj1") // the grid has the second answer
			keys(tm, tea.KeyPressMsg{Code: '4', Mod: tea.ModAlt}, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			final := tm.FinalModel(t).(probe).m
			if got := final.EditorText(); got != "SELECT 41+1 AS eqj1" {
				t.Fatalf("editor text %q", got)
			}
			if final.Focused() != "Editor" {
				t.Fatalf("focus at the end = %s", final.Focused())
			}
		})
	}
}
