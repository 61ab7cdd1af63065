package sqltext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies the tokens of Lex.
type TokenKind uint8

const (
	Word   TokenKind = iota // keyword or bare identifier
	Ident                   // quoted identifier: "x", `x`, [x]
	String                  // 'literal' or X'blob'
	Number
	Punct // one character: . , ( ) ; = …
	Param // PostgreSQL's positional parameter $1 (SQLite's $name is a Word)
)

// Token is one significant token; comments and white space are dropped.
type Token struct {
	Kind       TokenKind
	Text       string // raw text; for Ident the unquoted name
	Start, End int    // byte offsets in the source
}

// Upper is the token's text in upper case (keywords compare this way).
func (t Token) Upper() string { return strings.ToUpper(t.Text) }

// Is reports whether t is the bare word w (case-insensitive).
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// IsPunct reports whether t is the punctuation p.
func (t Token) IsPunct(p string) bool { return t.Kind == Punct && t.Text == p }

// Lex splits SQL into tokens following SQLite's lexical rules closely enough
// that keywords inside strings, quoted names and comments are never seen as
// keywords. Unterminated quotes and comments run to the end of the input.
func Lex(sql string) []Token { return SQLite.Lex(sql) }

// Lex splits SQL into tokens following the dialect's lexical rules.
func (d Dialect) Lex(sql string) []Token {
	var out []Token
	lx := lexer{src: sql, d: d}
	for t, ok := lx.next(); ok; t, ok = lx.next() {
		out = append(out, t)
	}
	return out
}

// lexer hands out the tokens of src one at a time.
type lexer struct {
	src string
	pos int
	d   Dialect
}

// next returns the next significant token, or false at the end.
func (lx *lexer) next() (Token, bool) {
	sql := lx.src
	for lx.pos < len(sql) {
		i := lx.pos
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
			continue
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				lx.pos = len(sql)
				return Token{}, false
			}
			lx.pos = i + j + 1
			continue
		case c == '/' && strings.HasPrefix(sql[i:], "/*") && lx.d == Postgres:
			lx.pos = nestedCommentEnd(sql, i)
			continue
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				lx.pos = len(sql)
				return Token{}, false
			}
			lx.pos = i + j + 4
			continue
		}
		if lx.d == Postgres {
			if t, ok := postgresToken(sql, i); ok {
				lx.pos = t.End
				return t, true
			}
		}
		t := lx.token(i)
		lx.pos = t.End
		return t, true
	}
	return Token{}, false
}

// token reads the token that starts at byte i (not space or comment).
func (lx *lexer) token(i int) Token {
	sql := lx.src
	c := sql[i]
	switch {
	case c == '\'':
		j := quoteEnd(sql, i, '\'')
		return Token{String, sql[i:j], i, j}
	case c == '"' || c == '`':
		j := quoteEnd(sql, i, c)
		return Token{Ident, unquote(sql[i:j], c), i, j}
	case c == '[':
		j := strings.IndexByte(sql[i:], ']')
		if j < 0 {
			j = len(sql) - i - 1
		}
		return Token{Ident, strings.TrimSuffix(sql[i+1:i+j+1], "]"), i, i + j + 1}
	case c >= '0' && c <= '9':
		j := i
		for j < len(sql) && (IsNameByte(sql[j]) || sql[j] == '.') {
			j++
		}
		return Token{Number, sql[i:j], i, j}
	case (c == 'x' || c == 'X') && i+1 < len(sql) && sql[i+1] == '\'':
		j := quoteEnd(sql, i+1, '\'')
		return Token{String, sql[i:j], i, j}
	case isWordStart(sql, i):
		j := i
		for j < len(sql) && isWordCont(sql, j) {
			_, n := utf8.DecodeRuneInString(sql[j:])
			j += n
		}
		return Token{Word, sql[i:j], i, j}
	}
	_, n := utf8.DecodeRuneInString(sql[i:])
	return Token{Punct, sql[i : i+n], i, i + n}
}

// quoteEnd returns the offset just past the quote opened at i, where a
// doubled quote character stands for itself.
func quoteEnd(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

func unquote(s string, q byte) string {
	s = s[1:]
	s = strings.TrimSuffix(s, string(q))
	return strings.ReplaceAll(s, string([]byte{q, q}), string(q))
}

// IsNameByte reports the ASCII bytes of a bare name: letters, digits, _ and $.
func IsNameByte(b byte) bool {
	return b == '_' || b == '$' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// isWordStart reports whether an identifier character (not a digit) starts
// at byte i.
func isWordStart(sql string, i int) bool {
	b := sql[i]
	if b < utf8.RuneSelf {
		return b == '_' || b == '$' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
	}
	r, _ := utf8.DecodeRuneInString(sql[i:])
	return unicode.IsLetter(r)
}

// isWordCont reports whether an identifier character (digits included)
// starts at byte i.
func isWordCont(sql string, i int) bool {
	return (sql[i] >= '0' && sql[i] <= '9') || isWordStart(sql, i)
}
