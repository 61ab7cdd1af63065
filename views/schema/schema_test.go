package schema

import (
	"errors"
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sample() *client.Schema {
	now := "CURRENT_TIMESTAMP"
	return &client.Schema{
		Tables: []client.TableSchema{
			{Name: "customers", Type: "table", RowCount: 1204,
				SQL: "CREATE TABLE customers (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n  email TEXT UNIQUE,\n  created_at TEXT DEFAULT CURRENT_TIMESTAMP\n)",
				Columns: []client.ColumnSchema{
					{Name: "id", Type: "INTEGER", PrimaryKey: true},
					{Name: "name", Type: "TEXT", NotNull: true},
					{Name: "email", Type: "TEXT"},
					{Name: "created_at", Type: "TEXT", Default: &now},
				},
				Indexes: []client.IndexSchema{{Name: "idx_customers_email", Columns: []string{"email"}, Unique: true,
					SQL: "CREATE UNIQUE INDEX idx_customers_email ON customers(email)"}},
			},
			{Name: "orders", Type: "table", RowCount: 48210,
				SQL: "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total REAL)",
				Columns: []client.ColumnSchema{
					{Name: "id", Type: "INTEGER", PrimaryKey: true},
					{Name: "customer_id", Type: "INTEGER", NotNull: true},
					{Name: "total", Type: "REAL"},
				},
				ForeignKeys: []client.ForeignKey{{Columns: []string{"customer_id"}, RefTable: "customers", RefColumns: []string{"id"}}},
			},
			{Name: `we"ird` + "\x1b[31m", Type: "table", RowCount: 3, Columns: []client.ColumnSchema{{Name: "x\x07", Type: "BLOB"}}},
			{Name: "big_orders", Type: "view", SQL: "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100",
				Columns: []client.ColumnSchema{{Name: "id", Type: "INTEGER"}, {Name: "total", Type: "REAL"}}},
		},
		Triggers: []client.Trigger{{Name: "orders_audit", Table: "orders", SQL: "CREATE TRIGGER orders_audit AFTER DELETE ON orders BEGIN SELECT 1; END"}},
	}
}

func newPane(w, h int) Model {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Schema)
	m.SetSize(w, h)
	m.SetSchema(sample())
	m.Focus()
	return m
}

func kp(s string) tea.KeyPressMsg { return viewtest.Key(s) }

func feed(m Model, keys ...string) (Model, []tea.Msg) {
	var out []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(kp(k))
		if msg := run(cmd); msg != nil {
			out = append(out, msg)
		}
	}
	return m, out
}

// run executes a command, giving up on timers (the filter's cursor blink):
// pane actions answer at once.
func run(cmd tea.Cmd) tea.Msg { return viewtest.RunCmd(cmd, 50*time.Millisecond) }

func plain(m Model) string { return ansi.Strip(m.View()) }

// checkSize asserts m draws exactly w×h (nothing is asserted at height 0).
func checkSize(t *testing.T, m Model, w, h int) {
	t.Helper()
	if h > 0 {
		viewtest.CheckSize(t, m.View(), w, h)
	}
}

func TestNavigation(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		table string
		kind  rowKind
		rows  int
	}{
		{"start", nil, "customers", rowTable, 4},
		{"down", []string{"j"}, "orders", rowTable, 4},
		{"expand with l", []string{"j", "l"}, "orders", rowTable, 4 + 3 + 1 + 1},
		{"into children", []string{"j", "right", "j", "j"}, "orders", rowColumn, 9},
		{"to the fk and trigger", []string{"j", "l", "G"}, "big_orders", rowTable, 9},
		{"collapse from a child", []string{"right", "down", "down", "h"}, "customers", rowTable, 4},
		{"space toggles", []string{"space"}, "customers", rowTable, 4 + 4 + 1},
		{"space twice", []string{"space", "space"}, "customers", rowTable, 4},
		{"g goes up", []string{"G", "g"}, "customers", rowTable, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := feed(newPane(46, 11), tc.keys...)
			if got := m.SelectedTable(); got != tc.table {
				t.Fatalf("selected %q, want %q", got, tc.table)
			}
			if got := m.rows[m.cursor].kind; got != tc.kind {
				t.Fatalf("cursor on kind %d, want %d", got, tc.kind)
			}
			if len(m.rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(m.rows), tc.rows)
			}
			checkSize(t, m, 46, 11)
		})
	}
}

func TestPreviewAndInsert(t *testing.T) {
	m := newPane(46, 11)
	_, msgs := feed(m, "j", "enter")
	if len(msgs) != 1 || msgs[0] != (action.PreviewTable{Table: "orders"}) {
		t.Fatalf("enter sent %#v", msgs)
	}
	_, msgs = feed(m, "j", "l", "j", "enter")
	if len(msgs) != 1 || msgs[0] != (action.PreviewTable{Table: "orders"}) {
		t.Fatalf("enter on a column sent %#v", msgs)
	}
	_, msgs = feed(m, "j", "j", "s")
	want := action.InsertSQL{Text: `SELECT * FROM "we""ird` + "\x1b[31m" + `" LIMIT 100;`}
	if len(msgs) != 1 || msgs[0] != want {
		t.Fatalf("s sent %#v", msgs)
	}
	if got := SelectSQL("orders"); got != `SELECT * FROM "orders" LIMIT 100;` {
		t.Fatalf("SelectSQL = %s", got)
	}
}

func TestFilter(t *testing.T) {
	m := newPane(46, 11)
	m, _ = feed(m, "/")
	if !m.InTextInput() {
		t.Fatal("filter prompt does not capture text")
	}
	m, _ = feed(m, "t", "o", "t")
	// "tot" matches the column total of orders and big_orders
	if len(m.rows) != 2 || m.SelectedTable() != "orders" {
		t.Fatalf("filter rows %d, selected %q", len(m.rows), m.SelectedTable())
	}
	if !strings.Contains(plain(m), "/tot") || !strings.Contains(m.Title(), "2 match") {
		t.Fatalf("filter not shown:\n%s\n%s", m.Title(), plain(m))
	}
	m, _ = feed(m, "enter")
	if m.InTextInput() || len(m.rows) != 2 {
		t.Fatal("enter should keep the filter and leave the prompt")
	}
	m, _ = feed(m, "esc")
	if len(m.rows) != 4 || m.SelectedTable() != "orders" {
		t.Fatalf("esc did not clear the filter: %d rows", len(m.rows))
	}
	m, _ = feed(m, "/", "z", "z", "z")
	if !strings.Contains(plain(m), "nothing matches") {
		t.Fatalf("no-match text missing:\n%s", plain(m))
	}
	m, _ = feed(m, "esc")
	if m.InTextInput() || len(m.rows) != 4 {
		t.Fatal("esc in the prompt should clear and leave")
	}
}

func TestDDL(t *testing.T) {
	m := newPane(46, 6)
	m, _ = feed(m, "d")
	v := plain(m)
	if !strings.Contains(v, "CREATE TABLE customers (") {
		t.Fatalf("DDL not shown:\n%s", v)
	}
	checkSize(t, m, 46, 6)
	m, _ = feed(m, "j", "j", "G")
	if m.ddlOffset == 0 || !strings.Contains(plain(m), "CREATE UNIQUE INDEX") {
		t.Fatalf("DDL does not scroll to the index:\n%s", plain(m))
	}
	m, _ = feed(m, "esc")
	if m.ddl != nil {
		t.Fatal("esc did not close the DDL")
	}
	m, _ = feed(m, "j", "j", "d")
	if strings.Contains(m.View(), "\x1b[31m") || !strings.Contains(plain(m), "no DDL") {
		t.Fatalf("unsafe or missing DDL text:\n%s", plain(m))
	}
}

func TestSanitizedAndStates(t *testing.T) {
	m := newPane(46, 11)
	m, _ = feed(m, "j", "j", "l")
	v := m.View()
	if strings.Contains(v, "\x1b[31m") || strings.Contains(v, "\x07") {
		t.Fatal("control characters from the schema reached the terminal")
	}
	if !strings.Contains(ansi.Strip(v), "we\"ird␛[31m") {
		t.Fatalf("name not shown visibly:\n%s", ansi.Strip(v))
	}
	th := theme.MustNew(theme.Dark, true, false)
	e := New(&th, keymap.Default().Schema)
	e.SetSize(30, 4)
	if !strings.Contains(plain(e), "loading") {
		t.Fatal("no loading text")
	}
	e.SetError(errors.New("gateway down\x1b[2J"))
	if v := e.View(); strings.Contains(v, "\x1b[2J") || !strings.Contains(ansi.Strip(v), "gateway down") {
		t.Fatalf("error not shown safely: %q", ansi.Strip(v))
	}
	e.SetSchema(&client.Schema{})
	if !strings.Contains(plain(e), "no tables") {
		t.Fatal("no empty text")
	}
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {3, 2}} {
		m := newPane(sz[0], sz[1])
		m, _ = feed(m, "l", "j", "d")
		checkSize(t, m, sz[0], sz[1])
	}
}

func TestKeepsStateAcrossRefresh(t *testing.T) {
	m := newPane(46, 11)
	m, _ = feed(m, "j", "l")
	m.SetSchema(sample())
	if m.SelectedTable() != "orders" || !m.expanded["orders"] {
		t.Fatal("refresh lost the cursor or the expanded table")
	}
}

// Inner sizes of the schema pane in the reference layouts: 78×20 at 80×24
// (one pane at a time) and 46×11 at 120×40 (left column).
func TestGoldens(t *testing.T) {
	for _, sz := range [][2]int{{78, 20}, {46, 11}} {
		w, h := sz[0], sz[1]
		suffix := "_" + strings.Join([]string{itoa(w), itoa(h)}, "x")
		m, _ := feed(newPane(w, h), "l", "j", "j", "j", "j", "j", "j", "l")
		checkSize(t, m, w, h)
		golden(t, "tree"+suffix, m.View())
		d, _ := feed(newPane(w, h), "d")
		golden(t, "ddl"+suffix, d.View())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func golden(t *testing.T, name, view string) {
	t.Helper()
	viewtest.Golden(t, *update, name, ansi.Strip(view))
}
