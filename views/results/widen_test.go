package results

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

// A page further down with wider values widens the column instead of
// cutting the values.
func TestLaterPagesWidenColumns(t *testing.T) {
	m := newTestModel(t, 60, 10)
	first := make([][]any, PageSize)
	for i := range first {
		first[i] = []any{int64(i + 1)}
	}
	m.SetResult(1, "SELECT n FROM t", &client.QueryResult{Columns: []client.Column{{Name: "n"}}, Rows: first, HasMore: true})
	before := m.widths[0]
	m.SetPage(1, PageSize, [][]any{{int64(1234567890)}}, false)
	m.SetTotal(1, PageSize+1)
	m.row = PageSize
	m.clamp()
	if m.widths[0] <= before {
		t.Fatalf("width stayed %d", m.widths[0])
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "1234567890") {
		t.Fatalf("wide value cut:\n%s", view)
	}
}
