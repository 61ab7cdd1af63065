package editor

import (
	"embed"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/theme"
)

// span colours the bytes of one line up to end with a style.
type span struct {
	end   int
	style int // index into styler.sgr
}

// highlighted is the buffer's syntax colouring, one span list per line,
// plus the colouring of each chunk of lines by its text so the next edit
// re-lexes only the chunk it touched. It is computed in Update after each
// edit and never changed afterwards, so model copies can share it.
type highlighted struct {
	dialect sqltext.Dialect // the rules the chunks were coloured by
	lines   [][]span
	chunks  map[string][][]span
}

// styler turns chroma token types into SGR prefixes built from the theme.
// The memo only grows with token types seen, and every entry is a pure
// function of the theme, so sharing it between model copies is harmless.
type styler struct {
	th     *theme.Theme
	lexers map[sqltext.Dialect]chroma.Lexer // built on first use
	index  map[chroma.TokenType]int
	types  []chroma.TokenType // the token type of each style
	sgr    []string           // SGR sequence that starts each style ("" for none)
	cursor string             // SGR of the cursor cell
	blink  string             // SGR of the cursor cell while the editor is not capturing
	sel    string             // SGR of selected text
	mark   string             // SGR of the token an error points at
}

// lexerXML holds chroma's SQL lexer definition (sql.xml, for SQLite) and
// its PostgreSQL dialect (postgres.xml). Importing chroma's lexers
// package instead would build its registry of every language at init, in
// every command of the binary (about 6 ms before any work).
//
//go:embed sql.xml postgres.xml
var lexerXML embed.FS

// sqlLexer builds SQLite's lexer, chroma's SQL one.
func sqlLexer() chroma.Lexer { return xmlLexer("sql.xml") }

// dialectLexer builds the highlighting lexer of a dialect.
func dialectLexer(d sqltext.Dialect) chroma.Lexer {
	if d == sqltext.Postgres {
		return xmlLexer("postgres.xml")
	}
	return sqlLexer()
}

// xmlLexer builds a lexer from lexerXML; plain text if that failed.
func xmlLexer(name string) chroma.Lexer {
	l, err := chroma.NewXMLLexer(lexerXML, name)
	if err != nil {
		return chroma.MustNewLexer(&chroma.Config{Name: "plain"}, func() chroma.Rules {
			return chroma.Rules{"root": {{Pattern: `(?s).+`, Type: chroma.Text}}}
		})
	}
	return l
}

func newStyler(th *theme.Theme) *styler {
	s := &styler{th: th, lexers: map[sqltext.Dialect]chroma.Lexer{}, index: map[chroma.TokenType]int{}}
	s.refresh()
	return s
}

// refresh rebuilds every SGR from the theme, after it changed. Style
// indexes stay, so colourings computed before stay valid.
func (s *styler) refresh() {
	s.cursor = sgrOf(s.th.EditorCursor(true))
	s.blink = sgrOf(s.th.EditorCursor(false))
	s.sel = sgrOf(s.th.EditorSelection())
	s.mark = sgrOf(s.th.EditorErrorMark())
	for i, tt := range s.types {
		s.sgr[i] = sgrOf(s.th.Syntax(syntaxType(tt)))
	}
}

// syntaxType is the token type whose theme colour tt gets.
func syntaxType(tt chroma.TokenType) chroma.TokenType {
	if tt == chroma.Error {
		// chroma's SQL lexer knows only ASCII names: a CJK identifier is
		// not an error worth flagging while typing.
		return chroma.Text
	}
	return tt
}

// sgrOf extracts the escape sequence a style writes before its text, so a
// line can be coloured by plain concatenation instead of one Render call
// per token (Render is far too slow for every keystroke).
func sgrOf(st lipgloss.Style) string {
	out := st.Render("\x01")
	i := strings.IndexByte(out, '\x01')
	if i < 0 {
		return ""
	}
	return out[:i]
}

func (s *styler) styleOf(tt chroma.TokenType) int {
	if i, ok := s.index[tt]; ok {
		return i
	}
	s.types = append(s.types, tt)
	s.sgr = append(s.sgr, sgrOf(s.th.Syntax(syntaxType(tt))))
	s.index[tt] = len(s.sgr) - 1
	return len(s.sgr) - 1
}

// lexer is the dialect's highlighting lexer, built once per styler.
func (s *styler) lexer(d sqltext.Dialect) chroma.Lexer {
	l, ok := s.lexers[d]
	if !ok {
		l = chroma.Coalesce(dialectLexer(d))
		s.lexers[d] = l
	}
	return l
}

// highlight colours lines by the dialect's rules. Chroma's SQL lexer is
// slow (tens of ms for a 200-line script), so the text is cut into chunks
// at line starts that lie outside any string, quoted name or block comment
// — where the lexer is in its initial state — and only chunks not coloured
// before (by the same dialect) are lexed.
func (s *styler) highlight(lines []string, prev *highlighted, d sqltext.Dialect) *highlighted {
	h := &highlighted{dialect: d, lines: make([][]span, len(lines)), chunks: map[string][][]span{}}
	if prev != nil && prev.dialect != d {
		prev = nil
	}
	starts := d.FreshLines(lines)
	for i, from := range starts {
		to := len(lines)
		if i+1 < len(starts) {
			to = starts[i+1]
		}
		text := strings.Join(lines[from:to], "\n")
		spans, ok := h.chunks[text]
		if !ok && prev != nil {
			spans, ok = prev.chunks[text]
		}
		if !ok {
			spans = s.lexChunkIn(d, text, to-from)
		}
		h.chunks[text] = spans
		copy(h.lines[from:to], spans)
	}
	return h
}

// lexChunk lexes a chunk of n lines and cuts its tokens at newlines.
func (s *styler) lexChunk(text string, n int) [][]span {
	return s.lexChunkIn(sqltext.SQLite, text, n)
}

// lexChunkIn is lexChunk by a dialect's highlighting rules.
func (s *styler) lexChunkIn(d sqltext.Dialect, text string, n int) [][]span {
	out := make([][]span, n)
	it, err := s.lexer(d).Tokenise(nil, text)
	if err != nil {
		return out
	}
	row, col, consumed := 0, 0, 0
	for t := it(); t != chroma.EOF; t = it() {
		st := s.styleOf(t.Type)
		v := t.Value
		if rest := len(text) - consumed; len(v) > rest {
			v = v[:rest] // lexers may append a final newline
		}
		consumed += len(v)
		for v != "" && row < n {
			nl := strings.IndexByte(v, '\n')
			if nl < 0 {
				col += len(v)
				out[row] = appendSpan(out[row], col, st)
				break
			}
			col += nl
			out[row] = appendSpan(out[row], col, st)
			row, col = row+1, 0
			v = v[nl+1:]
		}
	}
	return out
}

func appendSpan(list []span, end, style int) []span {
	n := len(list)
	if n > 0 && list[n-1].style == style {
		list[n-1].end = end
		return list
	}
	if n > 0 && list[n-1].end == end {
		return list
	}
	return append(list, span{end: end, style: style})
}
