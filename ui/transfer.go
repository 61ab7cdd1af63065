package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// Export, import, backup and restore are internal/app's use cases; this
// file turns the actions into app calls in commands, the progress events
// into messages and the outcome into the status bar.

// Bounds of export, import and backup calls: a transfer may take long, so
// it is not cut by the per-request timeout. Progress is shown at most
// every transferTick.
const (
	transferTimeout = time.Hour
	transferTick    = 250 * time.Millisecond
)

// transfer is a running export, import or results export. The model owns
// it and only Update touches it; its command talks back through feed.
type transfer struct {
	id     int
	verb   string // "exporting demo to out.csv"
	cancel context.CancelFunc
	feed   feed

	// a results export also draws a bar in the results pane
	result    bool
	totalRows int64 // rows in the result, 0 while unknown
}

// feed carries a transfer's progress events from its command to the
// model: events holds the latest one only (a fast transfer never waits
// for the screen), done is closed when the command returns.
type feed struct {
	events chan app.Progress
	done   chan struct{}
}

func newFeed() feed {
	return feed{events: make(chan app.Progress, 1), done: make(chan struct{})}
}

// send is the app's progress callback; it may run on any goroutine.
func (f feed) send(p app.Progress) {
	for {
		select {
		case f.events <- p:
			return
		default:
		}
		select { // drop the older event nobody has read
		case <-f.events:
		default:
		}
	}
}

// next waits delay, then for the next event of transfer id; it answers
// nil once the transfer is done.
func (f feed) next(id int, delay time.Duration) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-f.done:
			return nil
		case <-time.After(delay):
		}
		select {
		case <-f.done:
			return nil
		case p := <-f.events:
			return transferProgressMsg{id: id, p: p}
		}
	}
}

// transferProgressMsg is a progress event of transfer id.
type transferProgressMsg struct {
	id int
	p  app.Progress
}

// transferDoneMsg ends an export, import, backup or restore.
type transferDoneMsg struct {
	id      int // the transfer; 0 for answers that are not transfers
	db      string
	text    string // status line on success
	err     error
	verb    string // for the error line
	changed bool   // the database's content changed: reload schema and list
}

// backupsMsg answers the backup list.
type backupsMsg struct {
	db   string
	list []client.BackupInfo
	err  error
}

// onTransfer handles the transfer actions and their answers; ok is false
// for other messages.
func (m *Model) onTransfer(msg tea.Msg) (tea.Cmd, bool) {
	switch a := msg.(type) {
	case action.ExportDatabase:
		return m.checkTarget(a, a.Path), true
	case askReplace:
		return m.onAskReplace(a), true
	case checkedExport:
		return m.onCheckedExport(a), true
	case action.ImportFile:
		return m.importFile(a), true
	case action.BackupDatabase:
		return m.backupDatabase(a), true
	case action.ListBackups:
		return m.listBackups(a), true
	case action.RestoreBackup:
		return m.restoreBackup(a), true
	case transferProgressMsg:
		return m.onTransferProgress(a), true
	case transferDoneMsg:
		return m.onTransferDone(a), true
	case backupsMsg:
		m.dbs.model().SetBackups(a.db, a.list, a.err)
		return nil, true
	}
	return nil, false
}

// startTransfer shows verb in the status bar and registers a transfer,
// whose command runs under ctx (the cancel key ends it) and reports
// through t.feed; wait delivers its first progress event.
func (m *Model) startTransfer(verb string) (t *transfer, ctx context.Context, wait tea.Cmd) {
	ctx, cancel := context.WithTimeout(context.Background(), transferTimeout)
	m.nextID++
	t = &transfer{id: m.nextID, verb: verb, cancel: cancel, feed: newFeed()}
	if m.running == nil {
		m.running = map[int]*transfer{}
	}
	m.running[t.id] = t
	m.setStatus(verb+"… ("+m.c.Keys.Global.CancelTransfer.Help().Key+" cancels)", false)
	return t, ctx, t.feed.next(t.id, transferTick)
}

// cancelTransfers ends every running transfer; each then reports itself
// as failed with "context canceled", and nothing half-done is kept.
func (m *Model) cancelTransfers() {
	for _, t := range m.running {
		t.cancel()
	}
	m.setStatus("cancelling…", false)
}

// endTransfer forgets a finished transfer, releases its context and takes
// a results export's bar away.
func (m *Model) endTransfer(id int) {
	t, ok := m.running[id]
	if !ok {
		return
	}
	t.cancel()
	delete(m.running, id)
	if t.result {
		m.grid.model().EndExport()
	}
}

// onTransferProgress shows an event of a transfer still running; a late
// one (the transfer has ended) is dropped, so it cannot overwrite the
// outcome.
func (m *Model) onTransferProgress(msg transferProgressMsg) tea.Cmd {
	t, ok := m.running[msg.id]
	if !ok {
		return nil
	}
	if t.result {
		rows := max(msg.p.Lines-1, 0) // less the header or the opening bracket
		m.grid.model().SetExportProgress(rows, t.totalRows)
	}
	m.setStatus(progressText(t.verb, msg.p), false)
	return t.feed.next(t.id, transferTick)
}

// progressText is "exporting demo to out.csv… 12 MiB", with the share
// done when the size is known.
func progressText(verb string, p app.Progress) string {
	s := verb + "… " + units.Bytes(p.Bytes)
	if p.Total > 0 {
		s += fmt.Sprintf(" of %s (%d%%)", units.Bytes(p.Total), min(100*p.Bytes/p.Total, 100))
	}
	return s
}

func (m *Model) onTransferDone(msg transferDoneMsg) tea.Cmd {
	m.endTransfer(msg.id)
	if errors.Is(msg.err, context.Canceled) {
		m.setStatus(msg.verb+" cancelled; nothing was kept", false)
		return nil
	}
	if msg.err != nil {
		m.setStatus(msg.verb+" failed: "+sanitize.Line(msg.err.Error()), true)
		return nil
	}
	m.setStatus(msg.text, false)
	if !msg.changed {
		return nil
	}
	cmds := []tea.Cmd{m.loadDatabases()}
	if msg.db == m.current {
		cmds = append(cmds, m.loadSchema())
	}
	return tea.Batch(cmds...)
}

// exportOf is the app's export for an action.
func exportOf(a action.ExportDatabase) app.Export {
	return app.Export{DB: a.DB, Table: a.Table, Format: a.Format}
}

func (m *Model) exportDatabase(a action.ExportDatabase, replace app.Replace) tea.Cmd {
	api := m.api
	what := sanitize.Line(a.DB)
	if a.Table != "" {
		what += "." + sanitize.Line(a.Table)
	}
	t, ctx, wait := m.startTransfer("exporting " + what + " to " + sanitize.Line(a.Path))
	run := func() tea.Msg {
		defer close(t.feed.done)
		done := transferDoneMsg{id: t.id, db: a.DB, verb: "export of " + what}
		path, err := app.ExpandPath(a.Path)
		if err != nil {
			done.err = err
			return done
		}
		n, err := safeCall(func() (int64, error) {
			return app.ExportFile(ctx, api, path, replace, exportOf(a), t.feed.send)
		})
		done.err = err
		done.text = fmt.Sprintf("exported %s to %s (%s)", what, sanitize.Line(path), units.Bytes(n))
		return done
	}
	return tea.Batch(run, wait)
}

func (m *Model) importFile(a action.ImportFile) tea.Cmd {
	if m.c.ReadOnly {
		m.setStatus("read-only session: nothing can be imported", true)
		return nil
	}
	api := m.api
	path, err := app.ExpandPath(a.Path)
	if err != nil {
		m.setStatus("import: "+sanitize.Line(err.Error()), true)
		return nil
	}
	name := sanitize.Line(filepath.Base(path))
	t, ctx, wait := m.startTransfer("importing " + name + " into " + sanitize.Line(a.DB))
	run := func() tea.Msg {
		defer close(t.feed.done)
		done := transferDoneMsg{id: t.id, db: a.DB, verb: "import of " + name}
		x := app.Import{DB: a.DB, Format: a.Format, CSV: client.ImportCSVOptions{Table: a.Table}}
		res, err := safeCall(func() (app.Imported, error) { return app.ImportFile(ctx, api, path, x, t.feed.send) })
		done.err = err
		if err == nil {
			done.text, done.changed = importedText(name, sanitize.Line(a.DB), res), true
		}
		return done
	}
	return tea.Batch(run, wait)
}

// importedText says what an import did.
func importedText(file, db string, r app.Imported) string {
	if s := r.Script; s != nil {
		return fmt.Sprintf("ran %s in %s: %s statements, %s rows changed", file, db,
			humanize.Comma(int64(s.Statements)), humanize.Comma(s.RowsAffected))
	}
	created := ""
	if r.CSV.Created {
		created = " (new table)"
	}
	return fmt.Sprintf("imported %s rows into %s.%s%s", humanize.Comma(r.CSV.RowsImported), db, sanitize.Line(r.CSV.Table), created)
}

func (m *Model) backupDatabase(a action.BackupDatabase) tea.Cmd {
	api := m.api
	db := sanitize.Line(a.DB)
	m.setStatus("backing up "+db+"…", false)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), transferTimeout)
		defer cancel()
		r, err := safeCall(func() (*client.BackupResult, error) { return app.Backup(ctx, api, a.DB) })
		done := transferDoneMsg{db: a.DB, verb: "backup of " + db, err: err}
		if err == nil {
			done.text = fmt.Sprintf("backed up %s: %s (%s)", db, sanitize.Line(r.Name), units.Bytes(r.SizeBytes))
		}
		return done
	}
}

func (m *Model) listBackups(a action.ListBackups) tea.Cmd {
	api := m.api
	timeout := m.opts.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		list, err := safeCall(func() ([]client.BackupInfo, error) { return api.Backups(ctx, a.DB) })
		return backupsMsg{db: a.DB, list: list, err: err}
	}
}

func (m *Model) restoreBackup(a action.RestoreBackup) tea.Cmd {
	if m.c.ReadOnly {
		m.setStatus("read-only session: nothing can be restored", true)
		return nil
	}
	api := m.api
	db := sanitize.Line(a.DB)
	m.setStatus("restoring "+db+" from "+sanitize.Line(a.Name)+"…", false)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), transferTimeout)
		defer cancel()
		r, err := safeCall(func() (*client.BackupResult, error) { return app.Restore(ctx, api, a.DB, a.Name) })
		done := transferDoneMsg{db: a.DB, verb: "restore of " + db, err: err, changed: err == nil}
		if err == nil {
			done.text = fmt.Sprintf("restored %s from %s", db, sanitize.Line(r.Name))
		}
		return done
	}
}
