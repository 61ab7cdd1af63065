package editor

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
)

// typesOf is the token type the editor colours each byte of line row with.
func typesOf(m Model, row int) []chroma.TokenType {
	line := m.buf.lines[row]
	out := make([]chroma.TokenType, len(line))
	from := 0
	for _, sp := range m.hl.lines[row] {
		for i := from; i < min(sp.end, len(line)); i++ {
			out[i] = m.sty.types[sp.style]
		}
		from = sp.end
	}
	return out
}

// typesAt are the types of the bytes of the first occurrence of part in line row.
func typesAt(t *testing.T, m Model, row int, part string) []chroma.TokenType {
	t.Helper()
	i := strings.Index(m.buf.lines[row], part)
	if i < 0 {
		t.Fatalf("%q not on line %d", part, row)
	}
	return typesOf(m, row)[i : i+len(part)]
}

func all(ts []chroma.TokenType, ok func(chroma.TokenType) bool) bool {
	for _, tt := range ts {
		if !ok(tt) {
			return false
		}
	}
	return len(ts) > 0
}

func isString(tt chroma.TokenType) bool { return tt.InSubCategory(chroma.LiteralString) }

const pgLine = `SELECT $1, 'it''s', $$ body; 'q' $$, x::int, E'it\'s', $fn$ a $$ b $fn$ FROM t WHERE a ILIKE 'x' RETURNING id`

func TestPostgresHighlighting(t *testing.T) {
	m := newEditor(t, 200, 10, pgLine)
	m.SetDialect(sqltext.Postgres)
	if got := typesAt(t, m, 0, "$1"); !all(got, func(tt chroma.TokenType) bool { return tt == chroma.NameVariable }) {
		t.Errorf("$1 coloured as %v, want one parameter", got)
	}
	for _, s := range []string{`'it''s'`, `$$ body; 'q' $$`, `E'it\'s'`, `$fn$ a $$ b $fn$`} {
		if got := typesAt(t, m, 0, s); !all(got, isString) {
			t.Errorf("%s coloured as %v, want a string throughout", s, got)
		}
	}
	if got := typesAt(t, m, 0, "::"); !all(got, func(tt chroma.TokenType) bool { return tt == chroma.Operator }) {
		t.Errorf(":: coloured as %v", got)
	}
	if got := typesAt(t, m, 0, "x::"); got[0] != chroma.Name {
		t.Errorf("x before a cast coloured as %v", got[0])
	}
	for _, kw := range []string{"ILIKE", "RETURNING", "SELECT"} {
		if got := typesAt(t, m, 0, kw); !all(got, func(tt chroma.TokenType) bool { return tt.InCategory(chroma.Keyword) }) {
			t.Errorf("%s coloured as %v", kw, got)
		}
	}
	if got := typesAt(t, m, 0, "int,"); got[0] == chroma.Error || isString(got[0]) {
		t.Errorf("the cast's type coloured as %v", got[0])
	}
	if slices.Contains(typesOf(m, 0), chroma.Error) {
		t.Errorf("error token in %v", typesOf(m, 0))
	}

	// the same text under SQLite's rules is coloured as before: the dollar
	// quote is no string there
	sqlite := newEditor(t, 200, 10, pgLine)
	if got := typesAt(t, sqlite, 0, "$$ body; 'q' $$"); all(got, isString) {
		t.Error("SQLite highlighting took up the dollar quote")
	}
	m.SetDialect(sqltext.SQLite)
	if !reflect.DeepEqual(m.hl.lines, sqlite.hl.lines) {
		t.Error("switching back to SQLite does not colour as SQLite")
	}
}

// TestPostgresBodyOverLines: a function body over several lines is one
// string however the editor cuts the text into chunks, also while the
// closing quote is not typed yet.
func TestPostgresBodyOverLines(t *testing.T) {
	text := "CREATE FUNCTION f() RETURNS int AS $$\nSELECT 'a;\n1; $$ LANGUAGE sql;\nSELECT $1 -- it's\n/* a /* b */ 'c */ SELECT 2"
	m := newEditor(t, 80, 10, text)
	m.SetDialect(sqltext.Postgres)
	whole := m.sty.lexChunkIn(sqltext.Postgres, m.buf.text(), len(m.buf.lines))
	for i := range whole {
		if !equalSpans(whole[i], m.hl.lines[i]) {
			t.Fatalf("line %d: chunked %v, whole %v", i, m.hl.lines[i], whole[i])
		}
	}
	if got := typesOf(m, 1); !all(got, isString) {
		t.Errorf("body line coloured as %v", got)
	}
	if got := typesAt(t, m, 4, "'c */"); !all(got, func(tt chroma.TokenType) bool { return tt.InCategory(chroma.Comment) }) {
		t.Errorf("nested comment coloured as %v", got)
	}
	if got := typesAt(t, m, 4, "SELECT 2"); got[0] != chroma.Keyword {
		t.Errorf("text after a nested comment coloured as %v", got)
	}

	open := newEditor(t, 80, 10, "SELECT $$ never\nclosed; SELECT")
	open.SetDialect(sqltext.Postgres)
	if got := typesOf(open, 1); !all(got, isString) {
		t.Errorf("unterminated body coloured as %v", got)
	}
}

// TestPostgresStatementBounds: the statement under the cursor ends where
// PostgreSQL ends it, not at a semicolon inside a function body.
func TestPostgresStatementBounds(t *testing.T) {
	text := "CREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n$$ LANGUAGE sql;\nSELECT 2"
	m := newEditor(t, 80, 10, text)
	m.SetDialect(sqltext.Postgres)
	m.move(pos{1, 3}, false, false)
	_, msgs := press(m, "ctrl+r")
	want := []tea.Msg{action.RunQuery{SQL: "CREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n$$ LANGUAGE sql", Source: "editor", Line: 1}}
	if !reflect.DeepEqual(msgs, want) {
		t.Fatalf("ran %#v, want %#v", msgs, want)
	}
}

func TestPostgresCompletion(t *testing.T) {
	for _, tc := range []struct {
		d      sqltext.Dialect
		prefix string
		want   string
		has    bool
	}{
		{sqltext.Postgres, "SELECT * FROM orders WHERE x IL", "ILIKE", true},
		{sqltext.SQLite, "SELECT * FROM orders WHERE x IL", "ILIKE", false},
		{sqltext.Postgres, "CREATE TABLE t (a JSO", "JSONB", true},
		{sqltext.SQLite, "CREATE TABLE t (a JSO", "JSONB", false},
		{sqltext.Postgres, "CREATE TABLE t (id SER", "SERIAL", true},
		{sqltext.Postgres, "INSERT INTO t VALUES (1) RETU", "RETURNING", true},
		{sqltext.SQLite, "SELECT * FROM orders WHERE x GL", "GLOB", true},
		{sqltext.Postgres, "SELECT * FROM orders WHERE x GL", "GLOB", false},
		// a dollar-quoted body is a string: nothing is completed inside
		{sqltext.Postgres, "SELECT $$ cust", "customers", false},
	} {
		m := newEditor(t, 80, 10, tc.prefix)
		m.SetSchema(sampleSchema())
		m.SetDialect(tc.d)
		c, refs := analyzeIn(m.dialect, m.buf.text(), len(tc.prefix))
		got := texts(candidates(m.schema, c, refs))
		if slices.Contains(got, tc.want) != tc.has {
			t.Errorf("dialect %d, %q: candidates %q, want %s offered %v", tc.d, tc.prefix, got, tc.want, tc.has)
		}
	}
}
