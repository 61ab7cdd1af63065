package editor

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

func TestTypingAndEditing(t *testing.T) {
	tests := []struct {
		name  string
		start string
		keys  []string
		typed string
		want  string
	}{
		{"type", "", nil, "SELECT 1;", "SELECT 1;"},
		{"newline keeps indent", "  SELECT", nil, "\nFROM", "  SELECT\n  FROM"},
		{"backspace", "SELECT 12", []string{"backspace"}, "", "SELECT 1"},
		{"backspace joins lines", "a\nb", []string{"home", "backspace"}, "", "ab"},
		{"backspace wide char", "x日本", []string{"backspace"}, "", "x日"},
		{"delete", "abc", []string{"home", "delete"}, "", "bc"},
		{"arrows then type", "ab\ncd", []string{"up", "left"}, "X", "aXb\ncd"},
		{"down keeps column", "abcd\nx\nefgh", []string{"ctrl+home", "right", "right", "right", "down", "down"}, "Y", "abcd\nx\nefgYh"},
		{"selection replaced", "SELECT foo", []string{"shift+left", "shift+left", "shift+left"}, "bar", "SELECT bar"},
		{"selection deleted", "one two", []string{"shift+home", "backspace"}, "", ""},
		{"select all", "a\nb", []string{"alt+a"}, "z", "z"},
		{"word delete", "SELECT name", []string{"ctrl+w"}, "", "SELECT "},
		{"kill line", "abc\ndef", []string{"ctrl+home", "right", "ctrl+k"}, "", "a\ndef"},
		{"undo typing", "SELECT", nil, " xyz", "SELECT xyz"},
		{"space key", "a", nil, " ", "a "},
		{"ctrl+a line start", "ab\n  cd", []string{"ctrl+a"}, "X", "ab\nX  cd"},
		{"ctrl+e line end", "ab\ncd", []string{"ctrl+home", "ctrl+e"}, "X", "abX\ncd"},
		{"ctrl+u cuts to line start", "ab\ncdef", []string{"left", "ctrl+u"}, "", "ab\nf"},
		{"ctrl+k then ctrl+y puts it back", "abcdef", []string{"ctrl+a", "right", "ctrl+k", "ctrl+a", "ctrl+y"}, "", "bcdefa"},
		{"ctrl+w then ctrl+y", "SELECT name", []string{"ctrl+w", "ctrl+a", "ctrl+y"}, " ", "name SELECT "},
		{"ctrl+u then ctrl+y", "one two", []string{"ctrl+u", "ctrl+y", "ctrl+y"}, "", "one twoone two"},
		{"yank with nothing cut", "ab", []string{"ctrl+y"}, "", "ab"},
		{"redo after undo", "a", []string{"ctrl+z", "ctrl+g"}, "", "a"},
		{"redo with ctrl+shift+z", "", []string{"ctrl+z", "ctrl+shift+z"}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newEditor(t, 40, 5, tc.start)
			m, _ = press(m, tc.keys...)
			m = typeText(m, tc.typed)
			if got := m.Text(); got != tc.want {
				t.Fatalf("text = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRedo(t *testing.T) {
	m := newEditor(t, 40, 5, "")
	m = typeText(m, "SELECT")
	m, _ = press(m, "enter")
	m = typeText(m, "x")
	m, _ = press(m, "ctrl+z", "ctrl+z")
	if m.Text() != "SELECT" {
		t.Fatalf("after two undos: %q", m.Text())
	}
	m, _ = press(m, "ctrl+g")
	if m.Text() != "SELECT\n" {
		t.Fatalf("after redo: %q", m.Text())
	}
	m, _ = press(m, "ctrl+shift+z")
	if m.Text() != "SELECT\nx" {
		t.Fatalf("after second redo: %q", m.Text())
	}
	m, _ = press(m, "ctrl+g") // nothing left to redo
	m, _ = press(m, "ctrl+z")
	m = typeText(m, "y") // an edit drops what could be redone
	m, _ = press(m, "ctrl+g")
	if m.Text() != "SELECT\ny" {
		t.Fatalf("redo after a new edit: %q", m.Text())
	}
}

func TestUndo(t *testing.T) {
	m := newEditor(t, 40, 5, "SELECT")
	m = typeText(m, " 1")
	m, _ = press(m, "enter")
	m = typeText(m, "x")
	m, _ = press(m, "ctrl+z")
	if m.Text() != "SELECT 1\n" {
		t.Fatalf("after one undo: %q", m.Text())
	}
	m, _ = press(m, "ctrl+z", "ctrl+z")
	if m.Text() != "SELECT" {
		t.Fatalf("after three undos: %q", m.Text())
	}
}

func TestPaste(t *testing.T) {
	m := newEditor(t, 40, 5, "")
	m, _ = m.Update(tea.PasteMsg{Content: "SELECT 1;\r\nSELECT 2;"})
	if m.Text() != "SELECT 1;\nSELECT 2;" {
		t.Fatalf("paste = %q", m.Text())
	}
	if l, _ := m.Cursor(); l != 1 {
		t.Fatalf("cursor on line %d after paste", l)
	}
	m.Blur()
	m, _ = m.Update(tea.PasteMsg{Content: "nope"})
	if strings.Contains(m.Text(), "nope") {
		t.Fatal("paste applied while blurred")
	}
}

const script = "SELECT 1;\n\nSELECT a\n  FROM t\n  WHERE a = ';';\n-- note\nINSERT INTO t VALUES (1);"

func TestRunStatementUnderCursor(t *testing.T) {
	tests := []struct {
		row, col int
		want     string
		line     int
	}{
		{0, 0, "SELECT 1", 1},
		{0, 9, "SELECT 1", 1},
		{2, 3, "SELECT a\n  FROM t\n  WHERE a = ';'", 3},
		{4, 12, "SELECT a\n  FROM t\n  WHERE a = ';'", 3},
		{5, 2, "INSERT INTO t VALUES (1)", 7},
		{6, 5, "INSERT INTO t VALUES (1)", 7},
	}
	for _, key := range []string{"ctrl+r", "f5", "ctrl+enter"} {
		for _, tc := range tests {
			m := newEditor(t, 60, 10, script)
			m.move(pos{tc.row, tc.col}, false, false)
			_, msgs := press(m, key)
			want := []tea.Msg{action.RunQuery{SQL: tc.want, Source: "editor", Line: tc.line}}
			if !reflect.DeepEqual(msgs, want) {
				t.Fatalf("%s at %d:%d sent %#v, want %#v", key, tc.row, tc.col, msgs, want)
			}
		}
	}
}

func TestRunSelectionAndAll(t *testing.T) {
	m := newEditor(t, 60, 10, script)
	m.move(pos{2, 0}, false, false)
	m, _ = press(m, "shift+down")
	_, msgs := press(m, "ctrl+r")
	if want := (action.RunQuery{SQL: "SELECT a", Source: "editor", Line: 3}); len(msgs) != 1 || msgs[0] != want {
		t.Fatalf("run selection sent %#v", msgs)
	}

	m, _ = press(m, "alt+a")
	_, msgs = press(m, "ctrl+r")
	sc, ok := msgs[0].(action.RunScript)
	if !ok || len(sc.Statements) != 3 {
		t.Fatalf("run of a selection of three statements sent %#v", msgs)
	}

	for _, k := range []string{"f6", "ctrl+shift+r"} {
		_, msgs = press(newEditor(t, 60, 10, script), k)
		want := action.RunScript{Statements: []action.Statement{
			{SQL: "SELECT 1", Line: 1},
			{SQL: "SELECT a\n  FROM t\n  WHERE a = ';'", Line: 3},
			{SQL: "INSERT INTO t VALUES (1)", Line: 7},
		}}
		if len(msgs) != 1 || !reflect.DeepEqual(msgs[0], want) {
			t.Fatalf("%s sent %#v, want %#v", k, msgs, want)
		}
	}
	_, msgs = press(newEditor(t, 60, 10, "  -- only a comment"), "ctrl+r")
	if st, ok := msgs[0].(action.Status); !ok || st.Text != "nothing to run" {
		t.Fatalf("empty run sent %#v", msgs)
	}
}

func TestExplain(t *testing.T) {
	m := newEditor(t, 60, 10, script)
	m.move(pos{3, 2}, false, false)
	_, msgs := press(m, "f7")
	if want := (action.Explain{SQL: "SELECT a\n  FROM t\n  WHERE a = ';'"}); len(msgs) != 1 || msgs[0] != want {
		t.Fatalf("explain sent %#v", msgs)
	}
}

func TestDestructiveAsksFirst(t *testing.T) {
	m := newEditor(t, 60, 10, "SELECT 1;\nDELETE FROM orders;")
	_, msgs := press(m, "ctrl+r")
	c, ok := msgs[0].(action.Confirm)
	if !ok {
		t.Fatalf("DELETE without WHERE ran without confirmation: %#v", msgs)
	}
	if !strings.Contains(c.Detail, "DELETE FROM orders") || !strings.Contains(c.Detail, "every row of orders") {
		t.Fatalf("confirmation does not show the statement: %q", c.Detail)
	}
	if c.OnYes != (action.RunQuery{SQL: "DELETE FROM orders", Source: "editor", Line: 2}) {
		t.Fatalf("OnYes = %#v", c.OnYes)
	}
	_, msgs = press(m, "f6")
	if c, ok := msgs[0].(action.Confirm); !ok || len(c.OnYes.(action.RunScript).Statements) != 2 {
		t.Fatalf("run all with a DELETE sent %#v", msgs)
	}
	m = newEditor(t, 60, 10, "DELETE FROM orders WHERE id = 3")
	if _, msgs = press(m, "ctrl+r"); msgs[0] != (action.RunQuery{SQL: "DELETE FROM orders WHERE id = 3", Source: "editor", Line: 1}) {
		t.Fatalf("DELETE with WHERE sent %#v", msgs)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	m := newEditor(t, 60, 10, "SELECT 1;\nUPDATE t SET a = 1 WHERE id = 2;")
	m.SetReadOnly(true)
	_, msgs := press(m, "ctrl+r")
	st, ok := msgs[0].(action.Status)
	if !ok || !st.Error || !strings.Contains(st.Text, "read-only") || !strings.Contains(st.Text, "line 2") {
		t.Fatalf("write in read-only mode sent %#v", msgs)
	}
	m.move(pos{0, 3}, false, false)
	if _, msgs = press(m, "ctrl+r"); msgs[0] != (action.RunQuery{SQL: "SELECT 1", Source: "editor", Line: 1}) {
		t.Fatalf("read in read-only mode sent %#v", msgs)
	}
	if !strings.Contains(m.Title(), "read-only") {
		t.Fatalf("title %q does not say read-only", m.Title())
	}
}

func TestHistoryWalk(t *testing.T) {
	m := newEditor(t, 60, 10, "")
	m = typeText(m, "SELECT draft")
	m.SetHistory([]string{"SELECT 1", "SELECT 2", "SELECT 3"})
	steps := []struct {
		key, want string
	}{
		{"ctrl+up", "SELECT 3"}, {"alt+up", "SELECT 2"}, {"ctrl+up", "SELECT 1"}, {"ctrl+up", "SELECT 1"},
		{"ctrl+down", "SELECT 2"}, {"alt+down", "SELECT 3"}, {"ctrl+down", "SELECT draft"}, {"ctrl+down", "SELECT draft"},
	}
	for i, s := range steps {
		m, _ = press(m, s.key)
		if m.Text() != s.want {
			t.Fatalf("step %d (%s): text %q, want %q", i, s.key, m.Text(), s.want)
		}
	}
	_, msgs := press(newEditor(t, 60, 10, ""), "ctrl+up")
	if _, ok := msgs[0].(action.Status); !ok {
		t.Fatalf("empty history sent %#v", msgs)
	}
}

func TestEscLeavesTextCapture(t *testing.T) {
	m := newEditor(t, 60, 10, "SELECT")
	m, _ = press(m, "shift+left")
	m, _ = press(m, "esc")
	if !m.InTextInput() || m.sel {
		t.Fatal("first esc should only drop the selection")
	}
	m, _ = press(m, "esc")
	if m.InTextInput() {
		t.Fatal("esc did not hand keys back to the root")
	}
	m, _ = press(m, "esc")
	if m.InTextInput() {
		t.Fatal("esc resumed editing")
	}
	m = typeText(m, "x")
	if !m.InTextInput() || m.Text() != "SELECxT" {
		t.Fatalf("typing did not resume editing: %q", m.Text())
	}
	m.Blur()
	if m.InTextInput() {
		t.Fatal("blurred editor captures text")
	}
}

func TestFilePrompts(t *testing.T) {
	m := newEditor(t, 60, 10, "SELECT 1;")
	_, msgs := press(m, "ctrl+o")
	p, ok := msgs[0].(action.Prompt)
	if !ok || !p.Path || p.Validate("") == nil {
		t.Fatalf("ctrl+o sent %#v", msgs)
	}
	if got := p.OnSubmit(" q.sql "); got != (action.OpenFile{Path: "q.sql"}) {
		t.Fatalf("open submit = %#v", got)
	}
	m.SetPath("/tmp/work/q.sql")
	_, msgs = press(m, "ctrl+s")
	p = msgs[0].(action.Prompt)
	if p.Placeholder != "/tmp/work/q.sql" || !p.Path {
		t.Fatalf("save prompt placeholder %q", p.Placeholder)
	}
	if got := p.OnSubmit(""); got != (action.SaveFile{Path: "/tmp/work/q.sql", Text: "SELECT 1;"}) {
		t.Fatalf("save submit = %#v", got)
	}
	m = typeText(m, "x")
	if !strings.HasSuffix(m.Title(), "q.sql*") {
		t.Fatalf("title %q lacks the modified mark", m.Title())
	}
}

func TestInsertText(t *testing.T) {
	m := newEditor(t, 60, 10, "SELECT 1;\nSELECT 2;")
	m.move(pos{0, 3}, false, false)
	m.InsertText(`SELECT * FROM "t" LIMIT 100;`)
	if m.Text() != "SELECT 1;\nSELECT 2;\nSELECT * FROM \"t\" LIMIT 100;" {
		t.Fatalf("insert = %q", m.Text())
	}
	m = newEditor(t, 60, 10, "")
	m.InsertText("SELECT 1;")
	if m.Text() != "SELECT 1;" {
		t.Fatalf("insert into empty = %q", m.Text())
	}
}

// TestInsertTextTerminatesThePreviousStatement: schema s after a statement
// without ";" must not glue onto it — F5 then runs only the new SELECT.
func TestInsertTextTerminatesThePreviousStatement(t *testing.T) {
	for _, tc := range []struct{ start, want string }{
		{"SELECT 1", "SELECT 1;\nSELECT * FROM \"t\" LIMIT 100;"},
		{"SELECT 1 -- note; not an end", "SELECT 1; -- note; not an end\nSELECT * FROM \"t\" LIMIT 100;"},
		{"SELECT ';' /* c */", "SELECT ';'; /* c */\nSELECT * FROM \"t\" LIMIT 100;"},
		{"SELECT 1\n;", "SELECT 1\n;\nSELECT * FROM \"t\" LIMIT 100;"},
		{"SELECT 1;\nSELECT 2\n\n", "SELECT 1;\nSELECT 2;\n\nSELECT * FROM \"t\" LIMIT 100;"},
	} {
		m := newEditor(t, 60, 10, tc.start)
		m.InsertText(`SELECT * FROM "t" LIMIT 100;`)
		if m.Text() != tc.want {
			t.Errorf("after %q: %q, want %q", tc.start, m.Text(), tc.want)
			continue
		}
		_, msgs := press(m, "f5")
		if len(msgs) != 1 {
			t.Fatalf("f5 sent %v", msgs)
		}
		if rq, ok := msgs[0].(action.RunQuery); !ok || rq.SQL != `SELECT * FROM "t" LIMIT 100` {
			t.Errorf("after %q, f5 ran %#v", tc.start, msgs[0])
		}
	}
}
