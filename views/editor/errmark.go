package editor

import (
	"regexp"
	"strings"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// errorMark is a range of one line an SQL error points at.
type errorMark struct {
	on            bool
	row, from, to int // bytes of the line
}

// SQLite names the offending token in a few message shapes.
var (
	nearToken = regexp.MustCompile(`near "((?:[^"]|"")*)": syntax error`)
	noSuch    = regexp.MustCompile(`no such (?:column|table|function|collation sequence|index|view|module): ([^\s,]+)`)
	ambiguous = regexp.MustCompile(`ambiguous column name: ([^\s,]+)`)
)

// errorToken returns the token an SQLite error message points at, or "".
func errorToken(msg string) string {
	for _, re := range []*regexp.Regexp{nearToken, noSuch, ambiguous} {
		if m := re.FindStringSubmatch(msg); m != nil {
			return strings.ReplaceAll(m[1], `""`, `"`)
		}
	}
	return ""
}

// MarkError finds, in the statement stmt that starts on line (1-based; 0
// searches the whole buffer), the token errMsg points at; it marks it,
// moves the cursor there and returns its 1-based line and column. ok is
// false when the message names no token or the token is not found.
func (m *Model) MarkError(stmt string, line int, errMsg string) (int, int, bool) {
	tok := errorToken(errMsg)
	if tok == "" || stmt == "" {
		return 0, 0, false
	}
	text := m.buf.text()
	from := 0
	if line > 0 {
		from = m.buf.offset(m.buf.clamp(pos{line - 1, 0}))
	}
	at := strings.Index(text[from:], stmt)
	if at < 0 {
		return 0, 0, false
	}
	start := from + at
	off := tokenIn(stmt, tok)
	if off < 0 {
		// "no such column: t.x" may be written `t."x"`: fall back to the last part
		if i := strings.LastIndexByte(tok, '.'); i >= 0 {
			tok = tok[i+1:]
			off = tokenIn(stmt, tok)
		}
	}
	if off < 0 {
		return 0, 0, false
	}
	p := m.buf.posAt(start + off)
	end := min(p.col+len(tok), len(m.buf.lines[p.row]))
	m.sel = false
	m.move(p, false, false)
	m.mark = errorMark{on: true, row: p.row, from: p.col, to: end}
	return p.row + 1, displayCol(m.buf.lines[p.row], p.col) + 1, true
}

// tokenIn is the offset of tok in stmt outside strings and comments, as a
// whole word when it is one (case-insensitive, as SQL names are), or -1.
func tokenIn(stmt, tok string) int {
	lower, want := strings.ToLower(stmt), strings.ToLower(tok)
	word := sqltext.IsNameByte(want[0]) && sqltext.IsNameByte(want[len(want)-1])
	toks := sqltext.Lex(stmt)
	for i := 0; i+len(want) <= len(lower); {
		j := strings.Index(lower[i:], want)
		if j < 0 {
			return -1
		}
		k := i + j
		if inCode(toks, k) && (!word || (wordEdge(stmt, k-1) && wordEdge(stmt, k+len(want)))) {
			return k
		}
		i = k + 1
	}
	return -1
}

func wordEdge(s string, i int) bool { return i < 0 || i >= len(s) || !sqltext.IsNameByte(s[i]) }

// inCode reports whether byte k lies in a token other than a string
// literal: comments are no tokens, and quoted identifiers count as code (a
// missing column may be written "like_this").
func inCode(toks []sqltext.Token, k int) bool {
	for _, t := range toks {
		if t.Start <= k && k < t.End {
			return t.Kind != sqltext.String
		}
	}
	return false
}
