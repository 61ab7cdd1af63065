package results

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// started returns a pane showing query 1 with its first page; total < 0
// leaves the row count unknown (has_more).
func started(t *testing.T, w, h, total int) Model {
	t.Helper()
	m := newTestModel(t, w, h)
	first := &client.QueryResult{Columns: synthCols(4), Rows: synth(0, PageSize, 4), HasMore: true, ExecutionTimeMS: 3.2}
	answer := func(cmd tea.Cmd) {
		for _, f := range only[action.FetchPage](msgs(cmd)) {
			m.SetPage(1, f.Offset, synth(f.Offset, f.Limit, 4), true)
		}
	}
	answer(m.SetResult(1, "select * from big", first))
	if total >= 0 {
		answer(m.SetTotal(1, total))
	}
	return m
}

func TestFirstPageCoversScreen(t *testing.T) {
	m := newTestModel(t, 78, 10)
	cmd := m.SetResult(1, "q", &client.QueryResult{Columns: synthCols(2), Rows: synth(0, PageSize, 2), HasMore: true})
	if asked := only[action.FetchPage](msgs(cmd)); len(asked) != 0 {
		t.Fatalf("asked for %v", asked)
	}
	m.SetSize(78, 300) // a taller screen needs the next page
	equal(t, fetches(t, &m), []action.FetchPage{{QueryID: 1, Offset: 200, Limit: PageSize}})
}

func fetches(t *testing.T, m *Model) []action.FetchPage {
	t.Helper()
	return only[action.FetchPage](msgs(m.Fetch()))
}

// TestFetchWindow checks, for a cursor position and pane height, exactly
// which pages are asked for: those covering the screen plus one screen
// above and below, each once.
func TestFetchWindow(t *testing.T) {
	fp := func(off int) action.FetchPage { return action.FetchPage{QueryID: 1, Offset: off, Limit: PageSize} }
	tests := []struct {
		name   string
		height int // body = height-3
		row    int
		want   []action.FetchPage
	}{
		{"top of result", 10, 0, nil},
		{"deep inside a page", 10, 500, []action.FetchPage{fp(400)}},
		{"screen straddles pages", 10, 604, []action.FetchPage{fp(400), fp(600)}},
		{"next screen in next page", 10, 795, []action.FetchPage{fp(600), fp(800)}},
		{"tall pane, pages 0-1 cached at start", 203, 600, []action.FetchPage{fp(400), fp(600), fp(800)}},
		{"last row of the result", 10, 9_999, []action.FetchPage{fp(9_800)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := started(t, 78, tt.height, 10_000)
			m.row = tt.row
			m.clamp()
			got := fetches(t, &m)
			equal(t, got, tt.want)
			if again := fetches(t, &m); len(again) != 0 {
				t.Fatalf("pages asked for twice: %v", again)
			}
		})
	}
}

// TestScrollFetchesEachPageOnce scrolls with j through 1,000 rows: every
// page is asked for exactly once, just before it is needed.
func TestScrollFetchesEachPageOnce(t *testing.T) {
	m := started(t, 78, 10, 1_000)
	asked := map[int]int{}
	for i := 0; i < 999; i++ {
		var got []action.FetchPage
		m, got = pressFetch(m, keyDown)
		for _, f := range got {
			asked[f.Offset]++
			if f.QueryID != 1 || f.Limit != PageSize || f.Offset%PageSize != 0 {
				t.Fatalf("bad fetch %+v", f)
			}
			if f.Offset > m.row+2*m.bodyHeight() {
				t.Fatalf("row %d: fetched %d too early", m.row, f.Offset)
			}
			m.SetPage(1, f.Offset, synth(f.Offset, PageSize, 4), f.Offset+PageSize < 1_000)
		}
	}
	if r, _ := m.Cursor(); r != 999 {
		t.Fatalf("cursor at %d", r)
	}
	equal(t, asked, map[int]int{200: 1, 400: 1, 600: 1, 800: 1})
}

func pressFetch(m Model, keys ...tea.KeyPressMsg) (Model, []action.FetchPage) {
	m, got := press(m, keys...)
	return m, only[action.FetchPage](got)
}

// TestCacheBounded pages through 20,000 rows: the cache never holds more
// than MaxPages pages, the screen's pages are never evicted, and an evicted
// page is asked for again (once) when scrolled back to.
func TestCacheBounded(t *testing.T) {
	const total = 20_000
	m := started(t, 78, 19, total)
	for m.row < total-1 {
		var got []action.FetchPage
		m, got = pressFetch(m, keyPgDn)
		for _, f := range got {
			m.SetPage(1, f.Offset, synth(f.Offset, PageSize, 4), true)
		}
		if n := len(m.cache.pages); n > MaxPages {
			t.Fatalf("row %d: %d pages cached", m.row, n)
		}
		for r := m.top; r < m.top+m.bodyHeight(); r++ {
			if _, ok := m.rowAt(r); !ok {
				t.Fatalf("row %d on screen is not cached", r)
			}
		}
	}
	m, got := pressFetch(m, runeKey('g'))
	equal(t, got, []action.FetchPage{{QueryID: 1, Offset: 0, Limit: PageSize}})
	if _, got = pressFetch(m, keyDown); len(got) != 0 {
		t.Fatalf("asked again while in flight: %v", got)
	}
}

func TestStaleQueryDropped(t *testing.T) {
	m := started(t, 78, 10, -1)
	m.SetResult(2, "select 2", &client.QueryResult{Columns: synthCols(4), Rows: synth(0, PageSize, 4), HasMore: true})
	if cmd := m.SetPage(1, 200, synth(1_000_000, PageSize, 4), true); cmd != nil {
		t.Fatal("stale page triggered a fetch")
	}
	if _, ok := m.rowAt(200); ok {
		t.Fatal("stale page stored")
	}
	m.SetTotal(1, 42)
	if m.total != -1 {
		t.Fatal("stale total applied")
	}
	m.row = 195
	m.clamp()
	equal(t, fetches(t, &m), []action.FetchPage{{QueryID: 2, Offset: 200, Limit: PageSize}})
}

// TestUnknownTotal: while has_more, the cursor stops at the last known row
// and the next page is asked for; a short last page fixes the total.
func TestUnknownTotal(t *testing.T) {
	m := started(t, 78, 10, -1)
	if got := m.Title(); got != "Results · 200+ rows, more available · 3.2 ms" {
		t.Fatalf("title %q", got)
	}
	var got []action.FetchPage
	for i := 0; i < 250; i++ {
		var f []action.FetchPage
		m, f = pressFetch(m, keyDown)
		got = append(got, f...)
	}
	equal(t, got, []action.FetchPage{{QueryID: 1, Offset: 200, Limit: PageSize}})
	if m.row != 199 {
		t.Fatalf("cursor at %d before the page arrived", m.row)
	}
	m.SetPage(1, 200, synth(200, 50, 4), false)
	if m.total != 250 || m.Title() != "Results · 250 rows · 3.2 ms" {
		t.Fatalf("total %d, title %q", m.total, m.Title())
	}
	m, _ = press(m, keyDown)
	if m.row != 200 {
		t.Fatalf("cursor at %d after the page arrived", m.row)
	}
}

// TestEndCountsRows: G with an unknown total asks for the count once and
// lands on the last row when it arrives.
func TestEndCountsRows(t *testing.T) {
	m := started(t, 78, 10, -1)
	m, ms := press(m, keyEnd)
	equal(t, only[action.CountRows](ms), []action.CountRows{{QueryID: 1}})
	if m.Title() != "Results · 200+ rows, counting… · 3.2 ms" {
		t.Fatalf("title %q", m.Title())
	}
	m, ms = press(m, keyEnd)
	if len(only[action.CountRows](ms)) != 0 {
		t.Fatal("CountRows asked twice")
	}
	cmd := m.SetTotal(1, 5_000)
	equal(t, only[action.FetchPage](msgs(cmd)), []action.FetchPage{{QueryID: 1, Offset: 4_800, Limit: PageSize}})
	if r, _ := m.Cursor(); r != 4_999 || m.Title() != "Results · 5,000 rows · 3.2 ms" {
		t.Fatalf("cursor %d title %q", r, m.Title())
	}
	if !strings.Contains(ansi.Strip(m.View()), "…") {
		t.Fatal("rows being fetched show no placeholder")
	}
}

// TestFailedPageNotRetriedInALoop: a failed page is asked for again only
// after the user acts.
func TestFailedPageNotRetriedInALoop(t *testing.T) {
	m := started(t, 78, 10, 10_000)
	m.row = 500
	m.clamp()
	equal(t, len(fetches(t, &m)), 1)
	m.PageFailed(1, 400, errors.New("gateway timeout"))
	if !strings.Contains(ansi.Strip(m.View()), "gateway timeout") {
		t.Fatal("page error not shown")
	}
	m, cmd := m.Update(struct{}{})
	if cmd != nil {
		t.Fatalf("retried without a key press: %v", msgs(cmd))
	}
	_, got := pressFetch(m, keyDown)
	equal(t, got, []action.FetchPage{{QueryID: 1, Offset: 400, Limit: PageSize}})
}
