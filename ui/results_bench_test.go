package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/ui/internal/testgw"
	"github.com/dbforge/dbforge/views/action"
)

// applyNow runs cmd to its answer on this goroutine and applies it (batches
// flattened); what the answers ask for next is returned, not run.
func applyNow(m *Model, cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var next []tea.Cmd
		for _, c := range msg {
			next = append(next, applyNow(m, c)...)
		}
		return next
	default:
		_, c := m.Update(msg)
		return []tea.Cmd{c}
	}
}

// millionRowModel is a root model at 120×40 showing SELECT * FROM big
// (1,000,000 rows) from the embedded backend.
func millionRowModel(b *testing.B) *Model {
	b.Helper()
	api := testgw.Start(b, b.TempDir())
	ctx := context.Background()
	if _, err := api.Spawn(ctx, "big"); err != nil {
		b.Fatal(err)
	}
	if _, err := api.Query(ctx, "big", client.QueryRequest{SQL: bigSetup}); err != nil {
		b.Fatal(err)
	}
	m := New(api, Options{Theme: "dark", Database: "big", Refresh: time.Hour, Timeout: time.Minute})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	applyNow(m, m.runQuery(action.RunQuery{SQL: "SELECT * FROM big", Source: "bench"}))
	if !strings.Contains(m.grid.model().Title(), "200+ rows") {
		b.Fatalf("no result: %q", m.grid.model().Title())
	}
	return m
}

// BenchmarkReorderMillionRows is a sort or filter of a 1,000,000-row
// result, from the action to the first page drawn (the counts for the
// title follow in the background and are not timed).
func BenchmarkReorderMillionRows(b *testing.B) {
	m := millionRowModel(b)
	cols := []string{"x", "r", "t"}
	base := m.query.id
	for _, c := range []struct {
		name string
		a    action.Reorder
	}{
		{"sort_desc", action.Reorder{Columns: cols, Sort: "r", Desc: true}},
		{"filter", action.Reorder{Columns: cols, Filter: "99999"}},
		{"sort_desc_filter", action.Reorder{Columns: cols, Sort: "r", Desc: true, Filter: "99999"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.a.QueryID = m.query.id
				_, cmd := m.Update(c.a)
				msg := cmd()
				m.Update(msg)
				if m.query.id == base || !strings.Contains(m.grid.model().View(), "999999") {
					b.Fatalf("first page not shown: %s", m.grid.model().View())
				}
			}
		})
	}
}

// BenchmarkResultsExportMillionRows is e in Results on SELECT * FROM big
// (1,000,000 rows) to a CSV file, from the action to the file renamed into
// place, against the table export `dbforge export --table` runs (the same
// client call the CLI makes, embedded mode, same file system).
func BenchmarkResultsExportMillionRows(b *testing.B) {
	m := millionRowModel(b)
	dir := b.TempDir()
	b.Run("results_e", func(b *testing.B) {
		for b.Loop() {
			path := filepath.Join(dir, "results.csv")
			os.Remove(path) // the export would ask before replacing it
			_, cmd := m.Update(action.ExportResult{QueryID: m.query.id, Path: path, Format: app.CSV})
			if done := runExport(m, cmd); done.err != nil || !strings.Contains(done.text, "1,000,000 rows") {
				b.Fatalf("%+v", done)
			}
		}
	})
	b.Run("cli_export_table", func(b *testing.B) {
		api := m.api.(*client.Client)
		for b.Loop() {
			path := filepath.Join(dir, "table.csv")
			if _, err := app.WriteFile(path, app.ReplaceExisting, func(w io.Writer) (int64, error) {
				return api.ExportCSV(context.Background(), "big", "big", w)
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// runExport runs an export's commands concurrently, as the runtime does,
// and returns its transferDoneMsg once it has been applied; the ticks'
// answers are dropped.
func runExport(m *Model, cmd tea.Cmd) transferDoneMsg {
	msgs := make(chan tea.Msg, 8)
	var launch func(c tea.Cmd)
	launch = func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	launch(cmd)
	for {
		switch msg := (<-msgs).(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				launch(c)
			}
		case transferDoneMsg:
			m.Update(msg)
			return msg
		case checkedExport: // the target was looked at: the export starts
			_, c := m.Update(msg)
			launch(c)
		}
	}
}
