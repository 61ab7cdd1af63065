package databases

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/views/action"
)

func sampleBackups() []client.BackupInfo {
	return []client.BackupInfo{
		{Name: "20260314T150800.000Z-0a1b2c3d.db", CreatedAt: now.Add(-86 * time.Second), SizeBytes: 1_234_567},
		{Name: "20260313T090000.000Z-ffee0011.db", CreatedAt: now.Add(-30 * time.Hour), SizeBytes: 1_200_000},
		{Name: "20260301T000000.000Z-\x1b[31mxx.db", CreatedAt: now.Add(-13 * 24 * time.Hour), SizeBytes: 4096},
	}
}

func TestExportPrompt(t *testing.T) {
	_, msgs := feed(newPane(60, 10), "x")
	p, ok := last(msgs).(action.Prompt)
	if !ok || !p.Path {
		t.Fatalf("x gave %#v (a file prompt completes paths)", last(msgs))
	}
	for path, valid := range map[string]bool{"out.sql": true, "a/b.CSV": true, "x.json": true, "x.ndjson": true, "x.jsonl": true,
		"": false, "x.txt": false, "x.tsv": false, "dir/": false, "noext": false} {
		if (p.Validate(path) == nil) != valid {
			t.Errorf("Validate(%q) = %v", path, p.Validate(path))
		}
	}
	if got := p.OnSubmit(" dump.sql "); got != (action.ExportDatabase{DB: "demo", Path: "dump.sql", Format: app.SQL}) {
		t.Errorf("sql submit gave %#v", got)
	}
	// a table format asks for the table, the file's name by default
	tp, ok := p.OnSubmit("out/items.json").(action.Prompt)
	if !ok || tp.Placeholder != "items" {
		t.Fatalf("json submit gave %#v", p.OnSubmit("out/items.json"))
	}
	if got := tp.OnSubmit(""); got != (action.ExportDatabase{DB: "demo", Table: "items", Path: "out/items.json", Format: app.JSON}) {
		t.Errorf("default table gave %#v", got)
	}
	if got := tp.OnSubmit("orders"); got.(action.ExportDatabase).Table != "orders" {
		t.Errorf("named table gave %#v", got)
	}
}

func TestImportPrompt(t *testing.T) {
	_, msgs := feed(newPane(60, 10), "j", "i")
	p, ok := last(msgs).(action.Prompt)
	if !ok || !p.Path || !strings.Contains(p.Title, "analytics") {
		t.Fatalf("i gave %#v", last(msgs))
	}
	for path, valid := range map[string]bool{"a.csv": true, "a.TSV": true, "s.sql": true, "a.json": false, "": false} {
		if (p.Validate(path) == nil) != valid {
			t.Errorf("Validate(%q) = %v", path, p.Validate(path))
		}
	}
	if got := p.OnSubmit("s.sql"); got != (action.ImportFile{DB: "analytics", Path: "s.sql", Format: app.SQL}) {
		t.Errorf("sql submit gave %#v", got)
	}
	tp, ok := p.OnSubmit("in/fruit.tsv").(action.Prompt)
	if !ok || !strings.HasPrefix(tp.Placeholder, "fruit") {
		t.Fatalf("csv submit gave %#v", p.OnSubmit("in/fruit.tsv"))
	}
	if got := tp.OnSubmit("  "); got != (action.ImportFile{DB: "analytics", Table: "fruit", Path: "in/fruit.tsv", Format: app.CSV}) {
		t.Errorf("default table gave %#v", got)
	}
}

func TestBackupConfirms(t *testing.T) {
	_, msgs := feed(newPane(60, 10), "b")
	c, ok := last(msgs).(action.Confirm)
	if !ok || c.OnYes != (action.BackupDatabase{DB: "demo"}) {
		t.Fatalf("b gave %#v", last(msgs))
	}
}

func TestBackupListAndRestore(t *testing.T) {
	m, msgs := feed(newPane(60, 10), "B")
	if a, ok := last(msgs).(action.ListBackups); !ok || a.DB != "demo" {
		t.Fatalf("B gave %#v", last(msgs))
	}
	if db, open := m.BackupsOpen(); !open || db != "demo" || !m.InTextInput() {
		t.Fatal("backup list not open, or not taking the keys")
	}
	if !strings.Contains(m.View(), "loading backups") || !strings.Contains(m.Title(), "backups of demo") {
		t.Errorf("loading view:\n%s", m.View())
	}
	m.SetBackups("analytics", sampleBackups(), nil) // an answer for another database
	if !strings.Contains(m.View(), "loading backups") {
		t.Fatal("an answer for another database was shown")
	}
	m.SetBackups("demo", sampleBackups(), nil)
	// keys move in the list, not in the databases; q is not a quit here
	m, msgs = feed(m, "j", "q", "G", "k", "enter")
	c, ok := last(msgs).(action.Confirm)
	if !ok || c.OnYes != (action.RestoreBackup{DB: "demo", Name: sampleBackups()[1].Name}) {
		t.Fatalf("enter gave %#v", last(msgs))
	}
	if _, open := m.BackupsOpen(); open || m.Selected() != "demo" {
		t.Error("the list stays open after choosing, or the database cursor moved")
	}

	m, _ = feed(m, "B")
	m, _ = feed(m, "esc")
	if _, open := m.BackupsOpen(); open || m.InTextInput() {
		t.Error("esc did not close the list")
	}
	// a late answer for a closed list is dropped
	m.SetBackups("demo", sampleBackups(), nil)
	if _, open := m.BackupsOpen(); open {
		t.Error("a late answer reopened the list")
	}
}

func TestReadOnlyTransfers(t *testing.T) {
	m := newPane(60, 10)
	m.SetReadOnly(true)
	_, msgs := feed(m, "i")
	if s, ok := last(msgs).(action.Status); !ok || !s.Error {
		t.Errorf("i in read-only gave %#v", last(msgs))
	}
	// export and backup change nothing, so they stay
	for _, k := range []string{"x", "b"} {
		if _, msgs := feed(m, k); len(msgs) == 0 {
			t.Errorf("%s refused in read-only", k)
		}
	}
	m, _ = feed(m, "B")
	m.SetBackups("demo", sampleBackups(), nil)
	_, msgs = feed(m, "enter")
	if s, ok := last(msgs).(action.Status); !ok || !s.Error {
		t.Errorf("restore in read-only gave %#v", last(msgs))
	}
}

func TestNoDatabaseNoTransfer(t *testing.T) {
	m := newPane(60, 10)
	m.SetDatabases(nil)
	for _, k := range []string{"x", "i", "b", "B"} {
		if _, msgs := feed(m, k); len(msgs) != 0 {
			t.Errorf("%s with no database gave %#v", k, msgs)
		}
	}
}

func TestBackupGoldens(t *testing.T) {
	open := func(w, h int) Model {
		m, _ := feed(newPane(w, h), "B")
		return m
	}
	cases := map[string]func() Model{
		"backups_76x20": func() Model {
			m := open(76, 20)
			m.SetBackups("demo", sampleBackups(), nil)
			m, _ = feed(m, "j")
			return m
		},
		"backups_46x7": func() Model {
			m := open(46, 7)
			m.SetBackups("demo", sampleBackups(), nil)
			return m
		},
		"backups_empty_46x7": func() Model {
			m := open(46, 7)
			m.SetBackups("demo", nil, nil)
			return m
		},
		"backups_error_46x7": func() Model {
			m := open(46, 7)
			m.SetBackups("demo", nil, errors.New("dbforge: 404 DATABASE_NOT_FOUND: Database not found."))
			return m
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, mk().View()) })
	}
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {5, 2}, {20, 3}} {
		m := open(sz[0], sz[1])
		m.SetBackups("demo", sampleBackups(), nil)
		if lines := strings.Split(m.View(), "\n"); sz[1] > 0 && len(lines) != sz[1] {
			t.Errorf("%v: %d lines", sz, len(lines))
		}
	}
}
