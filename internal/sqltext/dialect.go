package sqltext

import "strings"

// Dialect is one backend's lexical rules for SQL text. The zero value is
// SQLite's, which the package-level functions follow.
type Dialect uint8

// The dialects, one per backend.
const (
	SQLite Dialect = iota
	// Postgres differs from SQLite in: $1 parameters, dollar-quoted
	// strings ($$…$$, $tag$…$tag$), E'…' strings with backslash escapes,
	// nested block comments, and no `…` or […] quoted names ([ is an
	// array subscript there). :: casts lex as two ':' like any punctuation.
	Postgres
)

// DialectOf is the dialect of a backend name ("sqlite", "postgres"); an
// unknown or empty name is SQLite's, the default backend.
func DialectOf(backend string) Dialect {
	if backend == "postgres" {
		return Postgres
	}
	return SQLite
}

// postgresToken reads the tokens whose rules PostgreSQL does not share with
// SQLite; ok is false for the rest, which token reads as for SQLite.
func postgresToken(sql string, i int) (Token, bool) {
	c := sql[i]
	switch {
	case (c == 'e' || c == 'E') && i+1 < len(sql) && sql[i+1] == '\'' && !afterWord(sql, i):
		j := escapeStringEnd(sql, i+1)
		return Token{String, sql[i:j], i, j}, true
	case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
		j := i + 1
		for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
			j++
		}
		return Token{Param, sql[i:j], i, j}, true
	case c == '$':
		if tag, ok := dollarTag(sql, i); ok {
			j := dollarEnd(sql, i, tag)
			return Token{String, sql[i:j], i, j}, true
		}
		return Token{Punct, "$", i, i + 1}, true
	case c == '`' || c == '[':
		return Token{Punct, sql[i : i+1], i, i + 1}, true
	}
	return Token{}, false
}

// afterWord reports whether byte i continues a name, so the e of
// "type'x'" is no E prefix of a string.
func afterWord(sql string, i int) bool { return i > 0 && IsNameByte(sql[i-1]) }

// dollarTag returns the opening delimiter of a dollar-quoted string at i:
// "$$" or "$tag$" where tag is a name without $.
func dollarTag(sql string, i int) (string, bool) {
	j := i + 1
	for j < len(sql) && sql[j] != '$' {
		b := sql[j]
		if !(b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80 || j > i+1 && b >= '0' && b <= '9') {
			return "", false
		}
		j++
	}
	if j >= len(sql) {
		return "", false
	}
	return sql[i : j+1], true
}

// dollarEnd returns the offset just past the closing tag of the
// dollar-quoted string opened by tag at i, or the end of the input.
func dollarEnd(sql string, i int, tag string) int {
	k := strings.Index(sql[i+len(tag):], tag)
	if k < 0 {
		return len(sql)
	}
	return i + len(tag) + k + len(tag)
}

// escapeStringEnd returns the offset just past the E'…' string whose quote
// is at q: a backslash escapes the next byte and a doubled quote stands for one.
func escapeStringEnd(sql string, q int) int {
	for j := q + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			j++
		case '\'':
			if j+1 < len(sql) && sql[j+1] == '\'' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

// nestedCommentEnd returns the offset just past the block comment opened at
// i, where PostgreSQL nests /* */ pairs, or the end of the input.
func nestedCommentEnd(sql string, i int) int {
	depth := 0
	for j := i; j+1 < len(sql); j++ {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			depth++
			j++
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(sql)
}
