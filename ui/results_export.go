package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// Results export (e) streams the shown statement through the gateway's
// query export into a temporary file renamed when complete, with a
// progress bar in the results pane and ctrl+x to cancel. A connection
// without the query export (an MK1 gateway) falls back to reading the
// result page by page.

// resultExportTick is how often the progress bar is redrawn.
const resultExportTick = 100 * time.Millisecond

// resultExport is a running results export, shared by the command that
// writes and the ticks that draw the bar.
type resultExport struct {
	p       *transferProgress
	queryID int
	rows    atomic.Int64 // rows written so far, read from the stream
	total   atomic.Int64 // rows in the result, 0 while unknown
}

// fallbackExportMsg ends a query export the connection did not have: the
// page-by-page export ran instead and answered msg.
type fallbackExportMsg struct {
	p   *transferProgress
	msg tea.Msg
}

// resultExportTickMsg redraws a results export's bar.
type resultExportTickMsg struct{ ex *resultExport }

// lineCounter counts the line ends on their way to w: one per row in CSV
// (plus the header), NDJSON and the JSON array (plus the brackets). A CSV
// field with line breaks makes it run ahead, so the bar caps below 100 %.
type lineCounter struct {
	w     io.Writer
	lines *atomic.Int64
}

func (l *lineCounter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	l.lines.Add(int64(bytes.Count(p[:n], []byte{'\n'})))
	return n, err
}

// exportQueryResult starts a results export through the query export.
func (m *Model) exportQueryResult(a action.ExportResult) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil {
		return m.exportResult(a) // says why, or exports page by page
	}
	// for a gateway without the query export, decided once it answers
	fallback := m.exportResult(a)
	gp := m.grid.model()
	verb := "exporting the result to " + sanitize.Line(a.Path)
	p, tick := m.startTransfer(verb)
	ex := &resultExport{p: p, queryID: q.id}
	if n := gp.Total(); n >= 0 {
		ex.total.Store(int64(n))
	}
	gp.SetExportProgress(0, ex.total.Load())
	api := m.api
	run := func() tea.Msg {
		defer p.done.Store(true)
		done := transferDoneMsg{p: p, verb: "export of the result"}
		path, err := expandPath(a.Path)
		if err != nil {
			done.err = err
			return done
		}
		if ex.total.Load() == 0 {
			// the bar needs the row count; the export does not wait for it
			go countForBar(p.ctx, api, q, ex)
		}
		n, err := safeCall(func() (int64, error) {
			return writeAtomically(path, func(w io.Writer) (int64, error) {
				lw := &lineCounter{w: w, lines: &ex.rows}
				return api.ExportQuery(p.ctx, q.db, client.ExportQueryRequest{SQL: q.sql, Params: q.params, Format: a.Format}, lw,
					client.WithProgress(p.bytes.Store))
			})
		})
		if errors.Is(err, client.ErrUnsupported) {
			return fallbackExportMsg{p: p, msg: fallback()}
		}
		done.err = err
		rows := max(ex.rows.Load()-1, 0)
		if a.Format == action.FormatJSON {
			rows = max(ex.rows.Load()-2, 0)
		}
		noun := "rows"
		if rows == 1 {
			noun = "row"
		}
		done.text = fmt.Sprintf("exported %s %s to %s (%s)", humanize.Comma(rows), noun, sanitize.Line(path), humanize.Bytes(uint64(n)))
		return done
	}
	return tea.Batch(run, tick, tickResultExport(ex))
}

// countForBar counts the result's rows for the progress bar.
func countForBar(ctx context.Context, api API, q queryState, ex *resultExport) {
	res, err := safeCall(func() (*client.QueryResult, error) {
		return api.Query(ctx, q.db, client.QueryRequest{SQL: countSQL(q.sqlIn, q.countable()), Params: q.params, Shape: "rows"})
	})
	if err != nil {
		return
	}
	if n, err := firstInt(res); err == nil {
		ex.total.Store(int64(n))
	}
}

func tickResultExport(ex *resultExport) tea.Cmd {
	return tea.Tick(resultExportTick, func(time.Time) tea.Msg { return resultExportTickMsg{ex: ex} })
}

// onResultExportTick redraws the bar, or takes it away once the export
// is over (its outcome is in the status bar).
func (m *Model) onResultExportTick(msg resultExportTickMsg) tea.Cmd {
	ex := msg.ex
	gp := m.grid.model()
	if ex.p.done.Load() {
		gp.EndExport()
		return nil
	}
	rows := max(ex.rows.Load()-1, 0) // less the header or the opening bracket
	gp.SetExportProgress(rows, ex.total.Load())
	return tickResultExport(ex)
}
