package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// Bounds of export, import and backup calls: a transfer may take long, so
// it is not cut by the per-request timeout.
const (
	transferTimeout = time.Hour
	transferTick    = 250 * time.Millisecond
)

// transferProgress is shared by a running transfer (which counts) and the
// ticks that show the count in the status bar; done stops the ticks.
type transferProgress struct {
	verb  string // "exporting demo to out.csv"
	ctx   context.Context
	bytes atomic.Int64
	total atomic.Int64 // 0 when unknown
	done  atomic.Bool
}

// transferTickMsg asks for the status bar to show a transfer's progress.
type transferTickMsg struct{ p *transferProgress }

// transferDoneMsg ends an export, import, backup or restore.
type transferDoneMsg struct {
	p       *transferProgress // nil for answers that are not transfers
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
		return m.exportDatabase(a), true
	case action.ImportFile:
		return m.importFile(a), true
	case action.BackupDatabase:
		return m.backupDatabase(a), true
	case action.ListBackups:
		return m.listBackups(a), true
	case action.RestoreBackup:
		return m.restoreBackup(a), true
	case transferTickMsg:
		return m.onTransferTick(a), true
	case transferDoneMsg:
		return m.onTransferDone(a), true
	case backupsMsg:
		m.dbs.model().SetBackups(a.db, a.list, a.err)
		return nil, true
	}
	return nil, false
}

// startTransfer shows verb in the status bar and returns the progress the
// transfer counts into, with the first tick. The transfer runs under p.ctx,
// which the cancel key ends.
func (m *Model) startTransfer(verb string) (*transferProgress, tea.Cmd) {
	ctx, cancel := context.WithTimeout(context.Background(), transferTimeout)
	p := &transferProgress{verb: verb, ctx: ctx}
	if m.running == nil {
		m.running = map[*transferProgress]context.CancelFunc{}
	}
	m.running[p] = cancel
	m.setStatus(verb+"… ("+m.c.Keys.Global.CancelTransfer.Help().Key+" cancels)", false)
	return p, tickTransfer(p)
}

// cancelTransfers ends every running transfer; each then reports itself
// as failed with "context canceled", and nothing half-done is kept.
func (m *Model) cancelTransfers() {
	for _, cancel := range m.running {
		cancel()
	}
	m.setStatus("cancelling…", false)
}

// endTransfer forgets a finished transfer and releases its context.
func (m *Model) endTransfer(p *transferProgress) {
	if cancel, ok := m.running[p]; ok {
		cancel()
		delete(m.running, p)
	}
}

func tickTransfer(p *transferProgress) tea.Cmd {
	return tea.Tick(transferTick, func(time.Time) tea.Msg { return transferTickMsg{p: p} })
}

func (m *Model) onTransferTick(msg transferTickMsg) tea.Cmd {
	p := msg.p
	if p.done.Load() {
		return nil
	}
	m.setStatus(progressText(p), false)
	return tickTransfer(p)
}

// progressText is "exporting demo to out.csv… 12 MB", with the share done
// when the size is known.
func progressText(p *transferProgress) string {
	n := p.bytes.Load()
	s := p.verb + "… " + units.Bytes(n)
	if total := p.total.Load(); total > 0 {
		s += fmt.Sprintf(" of %s (%d%%)", units.Bytes(total), min(100*n/total, 100))
	}
	return s
}

func (m *Model) onTransferDone(msg transferDoneMsg) tea.Cmd {
	m.endTransfer(msg.p)
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

func (m *Model) exportDatabase(a action.ExportDatabase) tea.Cmd {
	api := m.api
	what := sanitize.Line(a.DB)
	if a.Table != "" {
		what += "." + sanitize.Line(a.Table)
	}
	verb := "exporting " + what + " to " + sanitize.Line(a.Path)
	p, tick := m.startTransfer(verb)
	run := func() tea.Msg {
		defer p.done.Store(true)
		done := transferDoneMsg{p: p, db: a.DB, verb: "export of " + what}
		path, err := expandPath(a.Path)
		if err != nil {
			done.err = err
			return done
		}
		ctx := p.ctx
		n, err := safeCall(func() (int64, error) {
			return writeAtomically(path, func(w io.Writer) (int64, error) {
				return exportInto(ctx, api, w, a, client.WithProgress(p.bytes.Store))
			})
		})
		done.err = err
		done.text = fmt.Sprintf("exported %s to %s (%s)", what, sanitize.Line(path), units.Bytes(n))
		return done
	}
	return tea.Batch(run, tick)
}

// exportInto streams the export a asks for into w.
func exportInto(ctx context.Context, api API, w io.Writer, a action.ExportDatabase, opt client.TransferOption) (int64, error) {
	switch a.Format {
	case action.FormatCSV:
		return api.ExportCSV(ctx, a.DB, a.Table, w, opt)
	case action.FormatJSON, action.FormatNDJSON:
		return api.ExportJSON(ctx, a.DB, a.Table, a.Format == action.FormatNDJSON, w, opt)
	case action.FormatSQL:
		return api.ExportSQL(ctx, a.DB, w, opt)
	}
	return 0, fmt.Errorf("unknown export format %q", a.Format)
}

// writeAtomically writes a file through fn under a temporary name next to
// path and renames it into place only when fn succeeded, so a failed
// export never leaves a partial file (or clobbers an older one).
func writeAtomically(path string, fn func(io.Writer) (int64, error)) (int64, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return 0, fmt.Errorf("%s is a directory", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, err
	}
	err = f.Chmod(0o644)
	var n int64
	if err == nil {
		n, err = fn(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return n, err
	}
	return n, nil
}

func (m *Model) importFile(a action.ImportFile) tea.Cmd {
	if m.c.ReadOnly {
		m.setStatus("read-only session: nothing can be imported", true)
		return nil
	}
	api := m.api
	path, err := expandPath(a.Path)
	if err != nil {
		m.setStatus("import: "+sanitize.Line(err.Error()), true)
		return nil
	}
	verb := "importing " + sanitize.Line(filepath.Base(path)) + " into " + sanitize.Line(a.DB)
	p, tick := m.startTransfer(verb)
	run := func() tea.Msg {
		defer p.done.Store(true)
		done := transferDoneMsg{p: p, db: a.DB, verb: "import of " + sanitize.Line(filepath.Base(path))}
		f, err := os.Open(path)
		if err != nil {
			done.err = err
			return done
		}
		defer f.Close()
		st, err := f.Stat()
		if err == nil && st.IsDir() {
			done.err = fmt.Errorf("%s is a directory", path)
			return done
		}
		if err == nil {
			p.total.Store(st.Size())
		}
		ctx := p.ctx
		opt := client.WithProgress(p.bytes.Store)
		done.text, done.err = safeCall(func() (string, error) {
			return importInto(ctx, api, f, path, a, opt)
		})
		done.changed = done.err == nil
		return done
	}
	return tea.Batch(run, tick)
}

// importInto sends r to the import a asks for and says what it did.
func importInto(ctx context.Context, api API, r io.Reader, path string, a action.ImportFile, opt client.TransferOption) (string, error) {
	db := sanitize.Line(a.DB)
	switch a.Format {
	case action.FormatSQL:
		res, err := api.ImportSQL(ctx, a.DB, r, opt)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("ran %s in %s: %s statements, %s rows changed", sanitize.Line(filepath.Base(path)), db,
			humanize.Comma(int64(res.Statements)), humanize.Comma(res.RowsAffected)), nil
	case action.FormatCSV:
		opts := client.ImportCSVOptions{Table: a.Table}
		if strings.EqualFold(filepath.Ext(path), ".tsv") {
			opts.Delimiter = '\t'
		}
		res, err := api.ImportCSV(ctx, a.DB, r, opts, opt)
		if err != nil {
			return "", err
		}
		created := ""
		if res.Created {
			created = " (new table)"
		}
		return fmt.Sprintf("imported %s rows into %s.%s%s", humanize.Comma(res.RowsImported), db, sanitize.Line(res.Table), created), nil
	}
	return "", fmt.Errorf("unknown import format %q", a.Format)
}

func (m *Model) backupDatabase(a action.BackupDatabase) tea.Cmd {
	api := m.api
	db := sanitize.Line(a.DB)
	m.setStatus("backing up "+db+"…", false)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), transferTimeout)
		defer cancel()
		r, err := safeCall(func() (*client.BackupResult, error) { return api.Backup(ctx, a.DB) })
		done := transferDoneMsg{db: a.DB, verb: "backup of " + db, err: err}
		if err == nil {
			done.err = nilAnswer(r)
		}
		if done.err == nil {
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
		r, err := safeCall(func() (*client.BackupResult, error) { return api.Restore(ctx, a.DB, a.Name) })
		done := transferDoneMsg{db: a.DB, verb: "restore of " + db, err: err, changed: err == nil}
		if err == nil {
			done.err = nilAnswer(r)
		}
		if done.err == nil {
			done.text = fmt.Sprintf("restored %s from %s", db, sanitize.Line(r.Name))
		}
		return done
	}
}

// nilAnswer guards against a client answering neither a result nor an
// error.
func nilAnswer(r *client.BackupResult) error {
	if r == nil {
		return errors.New("empty answer")
	}
	return nil
}
