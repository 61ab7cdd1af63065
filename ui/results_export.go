package ui

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// Results export (e) streams the shown statement through the gateway's
// query export (app.ExportFile) into a temporary file renamed when
// complete, with a progress bar in the results pane and ctrl+x to cancel.
// A connection without the query export (an MK1 gateway) falls back to
// reading the result page by page.

// fallbackExportMsg ends a query export the connection did not have: the
// page-by-page export ran instead and answered msg.
type fallbackExportMsg struct {
	id  int
	msg tea.Msg
}

// exportTotalMsg gives a results export's bar the result's row count.
type exportTotalMsg struct {
	id   int
	rows int64
}

// exportQueryResult starts a results export through the query export.
func (m *Model) exportQueryResult(a action.ExportResult, replace app.Replace) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil {
		return m.exportResult(a, replace) // says why, or exports page by page
	}
	// for a gateway without the query export, decided once it answers
	fallback := m.exportResult(a, replace)
	gp := m.grid.model()
	t, ctx, wait := m.startTransfer("exporting the result to " + sanitize.Line(a.Path))
	t.result = true
	cmds := []tea.Cmd{wait}
	if n := gp.Total(); n > 0 {
		t.totalRows = int64(n)
	} else {
		// the bar needs the row count; the export does not wait for it
		cmds = append(cmds, countForBar(ctx, m.api, q, t.id))
	}
	gp.SetExportProgress(0, t.totalRows)
	api := m.api
	run := func() tea.Msg {
		defer close(t.feed.done)
		done := transferDoneMsg{id: t.id, verb: "export of the result"}
		path, err := app.ExpandPath(a.Path)
		if err != nil {
			done.err = err
			return done
		}
		lines := int64(0)
		progress := func(p app.Progress) { lines = p.Lines; t.feed.send(p) }
		x := app.Export{DB: q.db, Query: q.sql, Params: q.params, Format: a.Format}
		n, err := safeCall(func() (int64, error) {
			return app.ExportFile(ctx, api, path, replace, x, progress)
		})
		if errors.Is(err, client.ErrUnsupported) {
			return fallbackExportMsg{id: t.id, msg: fallback()}
		}
		done.err = err
		rows := max(lines-1, 0) // less the header
		if a.Format == app.JSON {
			rows = max(lines-2, 0) // less the brackets
		}
		noun := "rows"
		if rows == 1 {
			noun = "row"
		}
		done.text = fmt.Sprintf("exported %s %s to %s (%s)", humanize.Comma(rows), noun, sanitize.Line(path), units.Bytes(n))
		return done
	}
	return tea.Batch(append(cmds, run)...)
}

// countForBar counts the result's rows for the progress bar.
func countForBar(ctx context.Context, api API, q queryState, id int) tea.Cmd {
	return func() tea.Msg {
		res, err := safeCall(func() (*client.QueryResult, error) {
			return api.Query(ctx, q.db, client.QueryRequest{SQL: countSQL(q.sqlIn, q.countable()), Params: q.params, Shape: "rows"})
		})
		if err != nil {
			return nil
		}
		n, err := firstInt(res)
		if err != nil {
			return nil
		}
		return exportTotalMsg{id: id, rows: int64(n)}
	}
}

// onExportTotal keeps the count for the bar of a results export still
// running.
func (m *Model) onExportTotal(msg exportTotalMsg) {
	if t, ok := m.running[msg.id]; ok {
		t.totalRows = msg.rows
	}
}
