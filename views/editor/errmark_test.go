package editor

import (
	"strings"
	"testing"
)

func TestMarkErrorMovesTheCursorToTheToken(t *testing.T) {
	text := "SELECT 1;\n\nSELECT name,\n       'no_col' AS label, -- no_col here is text\n       no_col\nFROM people"
	stmt := "SELECT name,\n       'no_col' AS label, -- no_col here is text\n       no_col\nFROM people"
	for _, tc := range []struct {
		msg       string
		line, col int
		ok        bool
	}{
		{"SQL Error: no such column: no_col", 5, 8, true},
		{`SQL Error: near "FROM": syntax error`, 6, 1, true},
		{"SQL Error: no such table: people", 6, 6, true},
		{"SQL Error: no such column: p.no_col", 5, 8, true},
		{"SQL Error: database is locked", 0, 0, false},
		{"SQL Error: no such table: elsewhere", 0, 0, false},
	} {
		m := newEditor(t, 60, 10, text)
		line, col, ok := m.MarkError(stmt, 3, tc.msg)
		if ok != tc.ok || line != tc.line || col != tc.col {
			t.Errorf("%s: got %d:%d %v, want %d:%d %v", tc.msg, line, col, ok, tc.line, tc.col, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if l, c := m.Cursor(); l+1 != tc.line || c+1 != tc.col {
			t.Errorf("%s: cursor %d:%d", tc.msg, l+1, c+1)
		}
		if !m.mark.on || m.mark.row != tc.line-1 {
			t.Errorf("%s: mark %+v", tc.msg, m.mark)
		}
		// the mark is drawn in its own style and goes away with the next edit
		if !strings.Contains(m.View(), m.sty.mark) {
			t.Errorf("%s: mark not drawn", tc.msg)
		}
		m = typeText(m, "x")
		if m.mark.on {
			t.Errorf("%s: mark survives an edit", tc.msg)
		}
	}
}

func TestErrorTokenShapes(t *testing.T) {
	for msg, want := range map[string]string{
		`near "||": syntax error`:        "||",
		`near """weird""": syntax error`: `"weird"`,
		"no such column: a.b":            "a.b",
		"no such function: frob":         "frob",
		"ambiguous column name: id":      "id",
		"UNIQUE constraint failed: t.id": "",
		"incomplete input":               "",
	} {
		if got := errorToken(msg); got != want {
			t.Errorf("%q: token %q, want %q", msg, got, want)
		}
	}
}

// TestTokenInFollowsTheLexer: quotes and comments are the lexer's, so a
// "--" inside a quoted name starts no comment and a string hides a name.
func TestTokenInFollowsTheLexer(t *testing.T) {
	for _, tc := range []struct {
		stmt, tok string
		want      int
	}{
		{`SELECT "a--b", no_col FROM t`, "no_col", 15},
		{`SELECT 'x''no_col', /* no_col */ no_col`, "no_col", 33},
		{`SELECT [a/*b], no_col`, "no_col", 15},
		{`SELECT 'no_col'`, "no_col", -1},
	} {
		if got := tokenIn(tc.stmt, tc.tok); got != tc.want {
			t.Errorf("tokenIn(%q, %q) = %d, want %d", tc.stmt, tc.tok, got, tc.want)
		}
	}
}
