package editor

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies the tokens of lex.
type tokKind uint8

const (
	tokWord   tokKind = iota // keyword or bare identifier
	tokIdent                 // quoted identifier: "x", `x`, [x]
	tokString                // 'literal' or X'blob'
	tokNumber
	tokPunct // one character: . , ( ) ; = …
)

// tok is one significant token; comments and white space are dropped.
type tok struct {
	kind       tokKind
	text       string // raw text; for tokIdent the unquoted name
	start, end int    // byte offsets in the source
}

// upper is the token's text in upper case (keywords compare this way).
func (t tok) upper() string { return strings.ToUpper(t.text) }

// is reports whether t is the bare word w (case-insensitive).
func (t tok) is(w string) bool { return t.kind == tokWord && strings.EqualFold(t.text, w) }

// lex splits SQL into tokens following SQLite's lexical rules closely enough
// that keywords inside strings, quoted names and comments are never seen as
// keywords. Unterminated quotes and comments run to the end of the input.
func lex(sql string) []tok {
	var out []tok
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return out
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'':
			j := quoteEnd(sql, i, '\'')
			out = append(out, tok{tokString, sql[i:j], i, j})
			i = j
		case c == '"' || c == '`':
			j := quoteEnd(sql, i, c)
			out = append(out, tok{tokIdent, unquote(sql[i:j], c), i, j})
			i = j
		case c == '[':
			j := strings.IndexByte(sql[i:], ']')
			if j < 0 {
				j = len(sql) - i - 1
			}
			out = append(out, tok{tokIdent, strings.TrimSuffix(sql[i+1:i+j+1], "]"), i, i + j + 1})
			i += j + 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(sql) && (isWordByte(sql[j]) || sql[j] == '.') {
				j++
			}
			out = append(out, tok{tokNumber, sql[i:j], i, j})
			i = j
		case (c == 'x' || c == 'X') && i+1 < len(sql) && sql[i+1] == '\'':
			j := quoteEnd(sql, i+1, '\'')
			out = append(out, tok{tokString, sql[i:j], i, j})
			i = j
		case isWordStart(sql, i):
			j := i
			for j < len(sql) && isWordCont(sql, j) {
				_, n := utf8.DecodeRuneInString(sql[j:])
				j += n
			}
			out = append(out, tok{tokWord, sql[i:j], i, j})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(sql[i:])
			out = append(out, tok{tokPunct, sql[i : i+n], i, i + n})
			i += n
		}
	}
	return out
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

func isWordByte(b byte) bool {
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

// bareIdent reports whether name can be written without quotes.
func bareIdent(name string) bool {
	if name == "" || isKeyword(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if !isWordByte(b) || b == '$' || (i == 0 && b >= '0' && b <= '9') {
			return false
		}
	}
	return true
}

// QuoteIdent writes name as an SQL identifier: bare when it is a plain word,
// else in double quotes with inner double quotes doubled.
func QuoteIdent(name string) string {
	if bareIdent(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
