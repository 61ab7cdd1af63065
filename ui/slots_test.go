package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/chart"
	"github.com/dbforge/dbforge/views/results"
)

// A pane declares at its wrap what it does about its size and a database
// switch; the root only lays out and resets.
func TestSlotContractResizeAndReset(t *testing.T) {
	th := theme.MustNew("dark", true, false)
	km := keymap.Default()
	newGrid := func() results.Model { return results.New(&th, km.Results) }
	sized := 0
	grid := wrap(newGrid(), km.Results).resetsWith(newGrid).onResize(func(g *results.Model) tea.Cmd {
		sized++
		return g.Fetch()
	})
	if cmd := grid.setSize(80, 20); sized != 1 || cmd != nil {
		t.Fatalf("resize hook ran %d times, cmd %v (an empty grid fetches nothing)", sized, cmd)
	}
	grid.model().SetRunning(7, "SELECT 1")
	grid.focus()
	grid.reset(true)
	if g := grid.model(); g.QueryID() != 0 || !g.Focused() {
		t.Fatalf("after reset: query %d, focused %v", g.QueryID(), g.Focused())
	}
	if grid.w != 80 || grid.h != 20 {
		t.Errorf("reset lost the size: %d×%d", grid.w, grid.h)
	}

	// a pane without resetsWith outlives the switch
	keep := wrap(chart.New(&th, km.Chart), km.Chart)
	keep.focus()
	keep.reset(false)
	if !keep.model().Focused() {
		t.Error("a pane that is not per database was replaced")
	}

	// a tabbed slot resets every tab, focusing only the visible one
	newChart := func() chart.Model { return chart.New(&th, km.Chart) }
	ch := wrap(newChart(), km.Chart).resetsWith(newChart)
	tabs := &tabbed{th: &th, names: []string{tabResults, tabChart}, tabs: []slot{grid, ch}}
	grid.model().SetRunning(8, "SELECT 2")
	tabs.reset(true)
	if grid.model().QueryID() != 0 || !grid.model().Focused() || ch.model().Focused() {
		t.Errorf("tabbed reset: grid query %d focused %v, chart focused %v",
			grid.model().QueryID(), grid.model().Focused(), ch.model().Focused())
	}
}

// A switch of database resets every per-database pane through the slots:
// the grid forgets the old result, the editor keeps its text.
func TestDatabaseSwitchResetsThroughSlots(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT name FROM people", ctrl('r'))
	l.waitGrid("the result", func() bool { return l.m.grid.model().QueryID() != 0 })
	text := l.m.EditorText()
	l.m.Update(action.SelectDatabase{Name: "other"})
	if id := l.m.grid.model().QueryID(); id != 0 {
		t.Errorf("the grid kept query %d after the switch", id)
	}
	if l.m.EditorText() != text {
		t.Errorf("the editor lost its text: %q", l.m.EditorText())
	}
	if l.m.grid.w == 0 || l.m.grid.h == 0 {
		t.Error("the fresh grid has no size")
	}
}

// The grid answers a taller layout by asking for the rows it now shows:
// the root no longer pokes it after a resize.
func TestGridFetchesForItsNewSize(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop",
		"CREATE TABLE n (i INTEGER)",
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 700) INSERT INTO n SELECT i FROM c")
	l.runInEditor("SELECT i FROM n", ctrl('r'))
	l.until("the result", func() bool { return l.status() == "query done" })
	if cmd := l.m.layout(); cmd != nil {
		if msgs := batchMsgs(cmd); len(msgs) != 0 {
			t.Fatalf("the same size asked for %v", msgs)
		}
	}
	l.m.c.Height = 600 // room for more than the first page
	var fetches []action.FetchPage
	for _, msg := range batchMsgs(l.m.layout()) {
		if f, ok := msg.(action.FetchPage); ok {
			fetches = append(fetches, f)
		}
	}
	if len(fetches) == 0 || fetches[0].Offset != results.PageSize {
		t.Fatalf("a taller grid asked for %+v, want the page at %d", fetches, results.PageSize)
	}
}

// batchMsgs runs cmd and the commands of its batches, returning their
// messages.
func batchMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range batch {
		out = append(out, batchMsgs(c)...)
	}
	return out
}

// The chart takes the rows it draws from the grid's results.Shown, which
// the root only routes: a Shown reaching the root lands in the chart, and a
// late one (older than what it drew) does not replace it.
func TestChartTakesRowsFromTheGridsMessage(t *testing.T) {
	api := newFake()
	m := newTestModel(t, api, 120, 40)
	cols := []client.Column{{Name: "city"}, {Name: "n"}}
	run(m, func() tea.Msg {
		return results.Shown{QueryID: 3, Seq: 2, Columns: cols, Rows: [][]any{{"London", int64(4)}, {"Paris", int64(2)}}}
	})
	if got := m.chart.model().Series(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("the chart did not take the Shown rows: series %v", got)
	}
	run(m, func() tea.Msg { return results.Shown{QueryID: 3, Seq: 1} })
	if len(m.chart.model().Series()) != 1 {
		t.Fatal("a late Shown replaced newer rows")
	}
	run(m, func() tea.Msg { return results.Shown{QueryID: 4, Seq: 1} })
	if len(m.chart.model().Series()) != 0 {
		t.Fatal("the next query's empty Shown was dropped")
	}
}

// A page that arrives while the chart tab is hidden reaches the chart, and
// a failed statement empties it, with no root code feeding it.
func TestChartFollowsPagesAndFailures(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 450) SELECT i, i*2 AS twice FROM s", ctrl('r'))
	l.waitGrid("the result", func() bool { return l.m.grid.model().QueryID() != 0 })
	l.until("the chart's rows", func() bool { return len(l.m.chart.model().Series()) > 0 })
	l.press(kp("alt+5"), kp("]"))
	if !strings.Contains(l.screen(), "twice") {
		t.Fatalf("chart not drawn:\n%s", l.screen())
	}
	l.runInEditor("SELECT * FROM no_such_table", ctrl('r'))
	l.until("the failure", func() bool { return strings.Contains(l.status(), "failed") })
	l.drain()
	if len(l.m.chart.model().Series()) != 0 {
		t.Fatalf("the chart kept the rows of an earlier result after a failure: %v", l.m.chart.model().Series())
	}
}
