package ui

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/views/results"
)

// TestLargeResultFirstScreenAndLastRow runs SELECT * over 200,000 rows: the
// first screen comes from one page, G counts the rows and fetches only the
// pages around the last one.
func TestLargeResultFirstScreenAndLastRow(t *testing.T) {
	const n = 200_000
	l := startLive(t, 120, 40, Options{}, "big",
		`CREATE TABLE big AS WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 200000)
		 SELECT i AS id, 'row-' || i AS label FROM seq`)
	before := l.api.count()
	l.runInEditor("SELECT * FROM big", ctrl('r'))
	l.waitGrid("the first screen", func() bool { return strings.Contains(l.screen(), "row-1 ") })
	if title := l.m.grid.model().Title(); !strings.Contains(title, "200+ rows") {
		t.Fatalf("title %q", title)
	}

	l.press(kp("alt+5"), kp("G"))
	l.until("the last row", func() bool {
		row, _ := l.m.grid.model().Cursor()
		return row == n-1 && strings.Contains(l.screen(), "row-200000")
	})
	if title := l.m.grid.model().Title(); !strings.Contains(title, "200,000 rows") {
		t.Fatalf("title after G %q", title)
	}
	l.drain()
	qs := l.api.since(before)
	counts := 0
	for _, q := range qs {
		switch {
		case strings.HasPrefix(q.SQL, "SELECT COUNT(*)"):
			counts++
		case q.Limit <= 0 || q.Limit > results.PageSize:
			t.Fatalf("unbounded fetch: %+v", q)
		}
	}
	// first page, the count, and the page or two at the end
	if counts != 1 || len(qs) > 5 {
		t.Fatalf("%d requests (%d counts) to reach the end: %+v", len(qs), counts, qs)
	}
}
