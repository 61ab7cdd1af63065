package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// orderingFake is the test fake that also answers the sort and filter
// wrapper the way SQLite would, over the fake's rows.
type orderingFake struct{ *fakeAPI }

func (f orderingFake) Query(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error) {
	if !strings.HasPrefix(req.SQL, "SELECT * FROM (\n") {
		return f.fakeAPI.Query(ctx, db, req)
	}
	rows := slices.Clone(fakeRows())
	if ps, ok := req.Params.([]any); ok && len(ps) == 1 {
		needle := strings.ToLower(strings.Trim(ps[0].(string), "%"))
		rows = slices.DeleteFunc(rows, func(r []any) bool {
			for _, v := range r {
				if v != nil && strings.Contains(strings.ToLower(fmt.Sprint(v)), needle) {
					return false
				}
			}
			return true
		})
	}
	if strings.Contains(req.SQL, `ORDER BY "orders" DESC`) {
		slices.SortStableFunc(rows, func(a, b []any) int {
			x, _ := a[1].(int64)
			y, _ := b[1].(int64)
			return cmp.Compare(y, x)
		})
	}
	if strings.HasPrefix(req.SQL, "SELECT COUNT(*) FROM (") {
		return &client.QueryResult{Columns: []client.Column{{Name: "COUNT(*)"}}, Rows: [][]any{{int64(len(rows))}}}, nil
	}
	return &client.QueryResult{Columns: fakeColumns(), Rows: rows, RowCount: len(rows), ExecutionTimeMS: 2.5}, nil
}

// TestResultsScreenGoldens draws the whole screen at both sizes with the
// result sorted and filtered, a range selected with digit grouping on,
// and the statement list of a Run all.
func TestResultsScreenGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, orderingFake{newFake()}, w, h)
			run(m, m.Init())
			press(m, kp("4"))
			typeText(m, "SELECT status, count(*) AS orders FROM orders GROUP BY status")
			press(m, ctrl('r'), kp("alt+5"), kp("l"), kp("s"), kp("s"), kp("/"))
			typeText(m, "ED")
			press(m, kp("enter"))
			if title := m.grid.model().Title(); !strings.Contains(title, "4 of 6 rows · sorted by orders ↓ · filter “ED”") {
				t.Fatalf("title %q", title)
			}
			golden(t, fmt.Sprintf("results_sorted_filtered_%dx%d", w, h), m.Render())

			press(m, kp(","), kp("v"), kp("j"), kp("h"))
			golden(t, fmt.Sprintf("results_selection_%dx%d", w, h), m.Render())

			press(m, kp("alt+4"), ctrl('a'))
			m.editor.model().SetText("CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\nSELECT status FROM orders")
			press(m, kp("f6"))
			if title := m.grid.model().Title(); title != "Results · 3 statements" {
				t.Fatalf("title %q", title)
			}
			golden(t, fmt.Sprintf("results_run_all_%dx%d", w, h), m.Render())
		})
	}
}
