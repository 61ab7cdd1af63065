package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/views/action"
)

// xfer drives transfers on a live model: transfer messages go to
// onTransfer (as the root's Update routes them), everything else to Update.
type xfer struct{ *live }

func startXfer(t *testing.T) *xfer {
	t.Helper()
	return &xfer{startLive(t, 120, 40, Options{}, "shop",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)",
		"INSERT INTO items (name, qty) VALUES ('widget', 3), ('gädget, \"x\"', NULL)",
	)}
}

func (x *xfer) apply(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, tea.QuitMsg, pollTickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			x.exec(c)
		}
	default:
		if cmd, ok := x.m.onTransfer(msg); ok {
			x.exec(cmd)
			return
		}
		_, cmd := x.m.Update(msg)
		x.exec(cmd)
	}
}

// do sends an action and applies messages until the status bar stops
// saying the operation is under way.
func (x *xfer) do(a tea.Msg) (string, bool) {
	x.t.Helper()
	x.apply(a)
	x.waitStatus(func(s string) bool { return !strings.HasSuffix(s, "…") && !strings.Contains(s, "… ") })
	return x.m.Status()
}

func (x *xfer) waitStatus(cond func(string) bool) {
	x.t.Helper()
	x.until("the status", func() bool { s, _ := x.m.Status(); return cond(s) })
}

// until applies messages (routed as apply does) until cond holds.
func (x *xfer) until(what string, cond func() bool) {
	x.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-x.msgs:
			x.apply(msg)
		case <-deadline:
			s, _ := x.m.Status()
			x.t.Fatalf("timed out waiting for %s; status %q", what, s)
		}
	}
}

func (x *xfer) rows(sql string) [][]any {
	x.t.Helper()
	res, err := x.api.Client.Query(context.Background(), "shop", client.QueryRequest{SQL: sql})
	if err != nil {
		x.t.Fatal(err)
	}
	return res.Rows
}

func noPartFiles(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(dir, ".*part")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestTransferExportFiles(t *testing.T) {
	x := startXfer(t)
	dir := t.TempDir()
	for _, a := range []action.ExportDatabase{
		{DB: "shop", Path: filepath.Join(dir, "shop.sql"), Format: app.SQL},
		{DB: "shop", Table: "items", Path: filepath.Join(dir, "items.csv"), Format: app.CSV},
		{DB: "shop", Table: "items", Path: filepath.Join(dir, "items.ndjson"), Format: app.NDJSON},
	} {
		status, isErr := x.do(a)
		if isErr || !strings.HasPrefix(status, "exported shop") || !strings.Contains(status, a.Path) {
			t.Fatalf("%s: status %q (error %v)", a.Format, status, isErr)
		}
		got, err := os.ReadFile(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if _, err := app.ExportTo(context.Background(), x.api.Client, &want, exportOf(a), func(app.Progress) {}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s file:\n%s\nwant:\n%s", a.Format, got, want.Bytes())
		}
	}
	noPartFiles(t, dir)

	// a failing export says why, and leaves no file behind
	bad := filepath.Join(dir, "nope.csv")
	status, isErr := x.do(action.ExportDatabase{DB: "shop", Table: "nope", Path: bad, Format: app.CSV})
	if !isErr || !strings.Contains(status, "export of shop.nope failed") || !strings.Contains(status, "no such table") {
		t.Errorf("status %q (error %v)", status, isErr)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("failed export left %s: %v", bad, err)
	}
	noPartFiles(t, dir)
}

func TestTransferImportFiles(t *testing.T) {
	x := startXfer(t)
	dir := t.TempDir()
	csv := filepath.Join(dir, "fruit.tsv")
	if err := os.WriteFile(csv, []byte("name\tkg\napple\t2\npear\t5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, isErr := x.do(action.ImportFile{DB: "shop", Table: "fruit", Path: csv, Format: app.CSV})
	if isErr || status != "imported 2 rows into shop.fruit (new table)" {
		t.Fatalf("status %q (error %v)", status, isErr)
	}
	if got := x.rows("SELECT name, kg FROM fruit ORDER BY kg"); !reflect.DeepEqual(got, [][]any{{"apple", int64(2)}, {"pear", int64(5)}}) {
		t.Errorf("rows = %v", got)
	}
	// the current database's schema is reloaded with the new table
	x.until("fruit in the schema", func() bool {
		s := x.m.tree.model().Schema()
		return s != nil && len(s.Tables) == 2
	})

	script := filepath.Join(dir, "more.sql")
	os.WriteFile(script, []byte("INSERT INTO items (name) VALUES ('a');\nINSERT INTO items (name) VALUES ('b');\n"), 0o600)
	status, isErr = x.do(action.ImportFile{DB: "shop", Path: script, Format: app.SQL})
	if isErr || status != "ran more.sql in shop: 2 statements, 2 rows changed" {
		t.Errorf("status %q (error %v)", status, isErr)
	}

	status, isErr = x.do(action.ImportFile{DB: "shop", Path: filepath.Join(dir, "missing.sql"), Format: app.SQL})
	if !isErr || !strings.Contains(status, "import of missing.sql failed") {
		t.Errorf("missing file: status %q", status)
	}
	os.WriteFile(script, []byte("INSERT INTO items (name) VALUES ('c');\nINSERT INTO nope VALUES (1);\n"), 0o600)
	status, isErr = x.do(action.ImportFile{DB: "shop", Path: script, Format: app.SQL})
	if !isErr || !strings.Contains(status, "statement 2") {
		t.Errorf("failing script: status %q", status)
	}
	if got := x.rows("SELECT count(*) FROM items"); got[0][0] != int64(4) {
		t.Errorf("failing script kept rows: %v", got)
	}
}

func TestTransferBackupListRestore(t *testing.T) {
	x := startXfer(t)
	const q = "SELECT * FROM items ORDER BY id"
	before := x.rows(q)
	status, isErr := x.do(action.BackupDatabase{DB: "shop"})
	if isErr || !strings.HasPrefix(status, "backed up shop: ") {
		t.Fatalf("status %q (error %v)", status, isErr)
	}
	if _, err := x.api.Client.Query(context.Background(), "shop", client.QueryRequest{SQL: "DELETE FROM items"}); err != nil {
		t.Fatal(err)
	}

	// B on the databases pane opens the list, filled by the root
	x.until("the database list", func() bool { return x.m.dbs.model().Selected() == "shop" })
	x.m.setFocus(paneDatabases)
	_, cmd := x.m.Update(kp("B"))
	x.exec(cmd)
	dp := x.m.dbs.model()
	if db, open := dp.BackupsOpen(); !open || db != "shop" {
		t.Fatalf("backup list open=%v for %q", open, db)
	}
	x.until("the backups", func() bool { return !strings.Contains(dp.View(), "loading backups") })
	if v := dp.View(); !strings.Contains(v, "enter restore") || !strings.Contains(v, "just now") {
		t.Errorf("backup list:\n%s", v)
	}
	// enter asks to confirm the restore; the confirmation sends the action
	_, cmd = x.m.Update(kp("enter"))
	msg := cmd()
	confirm, ok := msg.(action.Confirm)
	if !ok {
		t.Fatalf("enter gave %T, want a confirmation", msg)
	}
	restore := confirm.OnYes.(action.RestoreBackup)
	status, isErr = x.do(restore)
	if isErr || !strings.HasPrefix(status, "restored shop from ") {
		t.Fatalf("status %q (error %v)", status, isErr)
	}
	if got := x.rows(q); !reflect.DeepEqual(got, before) {
		t.Errorf("after restore %v, want %v", got, before)
	}

	status, isErr = x.do(action.RestoreBackup{DB: "shop", Name: "20200101T000000.000Z-0123abcd.db"})
	if !isErr || !strings.Contains(status, "restore of shop failed") || !strings.Contains(status, "Backup not found") {
		t.Errorf("unknown backup: status %q", status)
	}
}

// Progress reaches the status bar as messages: each event of a running
// transfer is shown, the next one is awaited, and an event that arrives
// after the transfer ended does not overwrite its outcome.
func TestTransferProgressMessages(t *testing.T) {
	m := New(nil, Options{Theme: "dark", Now: func() time.Time { return fixedNow }})
	tr, _, wait := m.startTransfer("importing a.csv into shop")
	if s, _ := m.Status(); s != "importing a.csv into shop… (ctrl+x cancels)" || wait == nil {
		t.Fatalf("status %q", s)
	}
	tr.feed.send(app.Progress{Bytes: 1 << 19, Total: 4 << 20})
	tr.feed.send(app.Progress{Bytes: 1 << 20, Total: 4 << 20}) // replaces the unread one
	msg, ok := wait().(transferProgressMsg)
	if !ok || msg.p.Bytes != 1<<20 {
		t.Fatalf("first message %#v", msg)
	}
	if cmd := m.onTransferProgress(msg); cmd == nil {
		t.Error("a running transfer stopped listening")
	}
	if s, _ := m.Status(); s != "importing a.csv into shop… 1.0 MiB of 4.0 MiB (25%)" {
		t.Errorf("status %q", s)
	}
	close(tr.feed.done)
	if got := tr.feed.next(tr.id, 0)(); got != nil {
		t.Errorf("a finished transfer still sends %#v", got)
	}
	m.onTransferDone(transferDoneMsg{id: tr.id, text: "imported"})
	if cmd := m.onTransferProgress(msg); cmd != nil {
		t.Error("a finished transfer keeps listening")
	}
	if s, _ := m.Status(); s != "imported" {
		t.Errorf("a late event overwrote the result: %q", s)
	}
	if len(m.running) != 0 {
		t.Errorf("%d transfers still registered", len(m.running))
	}
}

func TestTransferUnsupportedAndReadOnly(t *testing.T) {
	m := New(unimplemented{}, Options{Theme: "dark", ReadOnly: true})
	if cmd, ok := m.onTransfer(action.ImportFile{DB: "x", Path: "a.sql", Format: app.SQL}); !ok || cmd != nil {
		t.Error("read-only import was started")
	}
	if s, isErr := m.Status(); !isErr || !strings.Contains(s, "read-only") {
		t.Errorf("status %q", s)
	}
	if cmd, _ := m.onTransfer(action.RestoreBackup{DB: "x", Name: "b"}); cmd != nil {
		t.Error("read-only restore was started")
	}
	// a connection without the route answers ErrUnsupported, shown as an error
	cmd, _ := m.onTransfer(action.BackupDatabase{DB: "x"})
	run(m, cmd)
	if s, isErr := m.Status(); !isErr || !strings.Contains(s, "not available on this gateway") {
		t.Errorf("status %q", s)
	}
	if _, ok := m.onTransfer(action.Status{Text: "x"}); ok {
		t.Error("onTransfer claimed a message that is not its own")
	}
}

// TestTransferKeysThroughDialogs walks the whole path a user takes: x on
// the databases pane, the file prompt, the table prompt, the export.
func TestTransferKeysThroughDialogs(t *testing.T) {
	x := startXfer(t)
	x.until("the database list", func() bool { return x.m.dbs.model().Selected() == "shop" })
	x.m.setFocus(paneDatabases)
	path := filepath.Join(t.TempDir(), "items.csv")
	keys := []tea.KeyPressMsg{kp("x")}
	for _, r := range path {
		keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	keys = append(keys, kp("enter"))
	for i, k := range keys {
		_, cmd := x.m.Update(k)
		x.exec(cmd)
		if i == 0 {
			x.until("the file prompt", func() bool { return x.m.overlay == overlayDialog })
		}
	}
	// the second prompt asks for the table; enter takes the default
	x.until("the table prompt", func() bool { return x.m.overlay == overlayDialog })
	_, cmd := x.m.Update(kp("enter"))
	x.exec(cmd)
	x.waitStatus(func(s string) bool { return strings.HasPrefix(s, "exported ") })
	got, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(got), "id,name,qty\r\n1,widget,3\r\n") {
		t.Fatalf("file %q: %v", got, err)
	}
}

// An export asks before it replaces a file: the file stays as it was
// until the person says yes; a file that appears after the look is
// refused, not clobbered.
func TestTransferExportAsksBeforeReplacing(t *testing.T) {
	x := startXfer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "items.csv")
	os.WriteFile(path, []byte("keep me"), 0o600)
	a := action.ExportDatabase{DB: "shop", Table: "items", Path: path, Format: app.CSV}
	x.apply(a)
	x.until("the question", func() bool { return x.m.overlay == overlayDialog })
	if s, _ := x.m.Status(); s != path+" exists: nothing exported yet" {
		t.Errorf("status %q", s)
	}
	if v := x.m.dialog.View(200); !strings.Contains(v, "Replace items.csv?") {
		t.Errorf("dialog:\n%s", v)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatalf("the file changed before the answer: %q", b)
	}
	// no: nothing happens
	_, cmd := x.m.Update(kp("esc"))
	x.exec(cmd)
	if b, _ := os.ReadFile(path); string(b) != "keep me" || x.m.overlay != overlayNone {
		t.Fatalf("after no: file %q, overlay %v", b, x.m.overlay)
	}
	// yes: the export replaces it (its permissions kept)
	status, isErr := x.do(checkedExport{export: a, replace: app.ReplaceExisting})
	if isErr || !strings.HasPrefix(status, "exported shop.items to ") {
		t.Fatalf("status %q (error %v)", status, isErr)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "id,name,qty\r\n") {
		t.Fatalf("file %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	// a file that appeared after the look is not clobbered
	late := filepath.Join(dir, "late.csv")
	os.WriteFile(late, []byte("late"), 0o644)
	status, isErr = x.do(checkedExport{export: action.ExportDatabase{DB: "shop", Table: "items", Path: late, Format: app.CSV}, replace: app.KeepExisting})
	if !isErr || !strings.Contains(status, "file exists") {
		t.Errorf("status %q (error %v)", status, isErr)
	}
	if b, _ := os.ReadFile(late); string(b) != "late" {
		t.Errorf("late file now %q", b)
	}
	noPartFiles(t, dir)
}
