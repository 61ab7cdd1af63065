package sqltext

import (
	"strings"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// verb returns the statement's operative keyword in upper case, looking
// through a WITH clause to the statement it introduces ("DELETE" for
// `WITH x AS (…) DELETE FROM t`), and the index of its token; "" and -1
// when the statement does not start with a word.
func verb(toks []Token) (string, int) {
	if len(toks) == 0 || toks[0].Kind != Word {
		return "", -1
	}
	first := toks[0].Upper()
	if first != "WITH" {
		return first, 0
	}
	depth := 0
	for i, t := range toks[1:] {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case depth == 0 && t.Kind == Word:
			switch u := t.Upper(); u {
			case "SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE":
				return u, i + 1
			}
		}
	}
	return "WITH", 0
}

// firstWord returns the statement's first token in upper case when it is a
// word ("SELECT", "WITH", "PRAGMA", …), else "". It reads one token only.
func firstWord(stmt string) string {
	lx := lexer{src: stmt}
	if t, ok := lx.next(); ok && t.Kind == Word {
		return t.Upper()
	}
	return ""
}

// HasWord reports whether the bare word w appears anywhere in stmt outside
// strings, quoted names and comments.
func HasWord(stmt, w string) bool {
	lx := lexer{src: stmt}
	for t, ok := lx.next(); ok; t, ok = lx.next() {
		if t.Is(w) {
			return true
		}
	}
	return false
}

// topLevelWord reports whether the word w appears outside parentheses in
// toks after index from.
func topLevelWord(toks []Token, from int, w string) bool {
	depth := 0
	for _, t := range toks[from+1:] {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case depth == 0 && t.Is(w):
			return true
		}
	}
	return false
}

// targetName is the first name after the verb, skipping the given words.
func targetName(toks []Token, from int, skip ...string) string {
next:
	for _, t := range toks[from+1:] {
		if t.Kind != Word && t.Kind != Ident {
			return ""
		}
		for _, s := range skip {
			if t.Is(s) {
				continue next
			}
		}
		return t.Text
	}
	return ""
}

// IsDestructive reports whether running stmt can lose data in a way the user
// should confirm first, and why (terminal-safe): DROP of anything, ALTER
// TABLE … DROP, and DELETE or UPDATE without a WHERE clause. Comments,
// strings and quoted names never count (`SELECT 'DROP TABLE x'` is
// harmless), and EXPLAIN only describes a statement without running it.
func IsDestructive(stmt string) (bool, string) { return SQLite.IsDestructive(stmt) }

// IsDestructive is IsDestructive reading stmt by the dialect's rules.
func (d Dialect) IsDestructive(stmt string) (bool, string) {
	toks := d.Lex(stmt)
	v, at := verb(toks)
	name := func(skip ...string) string {
		n := targetName(toks, at, skip...)
		if n == "" {
			return ""
		}
		return " " + sanitize.Line(DisplayIdent(n))
	}
	switch v {
	case "DROP":
		kind := "object"
		if at+1 < len(toks) && toks[at+1].Kind == Word {
			kind = strings.ToLower(toks[at+1].Text)
		}
		return true, "DROP removes the " + kind + name("TABLE", "VIEW", "INDEX", "TRIGGER", "IF", "EXISTS") + " for good"
	case "ALTER":
		if topLevelWord(toks, at, "DROP") {
			return true, "ALTER TABLE … DROP removes a column of" + name("TABLE") + " and its data"
		}
	case "DELETE":
		if !topLevelWord(toks, at, "WHERE") {
			return true, "DELETE without WHERE removes every row of" + name("FROM")
		}
	case "UPDATE":
		if !topLevelWord(toks, at, "WHERE") {
			return true, "UPDATE without WHERE changes every row of" + name("OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE")
		}
	}
	return false, ""
}

// IsWrite reports whether stmt may change the database, for read-only mode.
// SELECT, VALUES, EXPLAIN, transaction control and PRAGMA reads pass;
// everything else, including statements it does not recognise, is a write.
func IsWrite(stmt string) bool { return SQLite.IsWrite(stmt) }

// IsWrite is IsWrite reading stmt by the dialect's rules.
func (d Dialect) IsWrite(stmt string) bool {
	toks := d.Lex(stmt)
	v, _ := verb(toks)
	switch v {
	case "", "SELECT", "VALUES", "EXPLAIN", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return false
	case "PRAGMA":
		for _, t := range toks {
			if t.IsPunct("=") {
				return true
			}
		}
		return false
	}
	return true
}

// IsTxControl reports transaction statements (BEGIN, COMMIT, END,
// ROLLBACK, SAVEPOINT, RELEASE).
func IsTxControl(stmt string) bool { return IsTxControlKeyword(firstWord(stmt)) }

// IsTxControlKeyword is IsTxControl of a statement whose Keyword is kw.
func IsTxControlKeyword(kw string) bool {
	switch kw {
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return true
	}
	return false
}
