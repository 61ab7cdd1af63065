package editor

import (
	"strings"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// verb returns the statement's operative keyword in upper case, looking
// through a WITH clause to the statement it introduces ("DELETE" for
// `WITH x AS (…) DELETE FROM t`), and the index of that token.
func verb(toks []tok) (string, int) {
	if len(toks) == 0 || toks[0].kind != tokWord {
		return "", -1
	}
	first := toks[0].upper()
	if first != "WITH" {
		return first, 0
	}
	depth := 0
	for i, t := range toks[1:] {
		switch {
		case t.kind == tokPunct && t.text == "(":
			depth++
		case t.kind == tokPunct && t.text == ")":
			depth--
		case depth == 0 && t.kind == tokWord:
			switch u := t.upper(); u {
			case "SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE":
				return u, i + 1
			}
		}
	}
	return "WITH", 0
}

// topLevelWord reports whether the word w appears outside parentheses in
// toks after index from.
func topLevelWord(toks []tok, from int, w string) bool {
	depth := 0
	for _, t := range toks[from+1:] {
		switch {
		case t.kind == tokPunct && t.text == "(":
			depth++
		case t.kind == tokPunct && t.text == ")":
			depth--
		case depth == 0 && t.is(w):
			return true
		}
	}
	return false
}

// targetName is the first name after the verb, skipping the given words.
func targetName(toks []tok, from int, skip ...string) string {
next:
	for _, t := range toks[from+1:] {
		if t.kind != tokWord && t.kind != tokIdent {
			return ""
		}
		for _, s := range skip {
			if t.is(s) {
				continue next
			}
		}
		return t.text
	}
	return ""
}

// IsDestructive reports whether running stmt can lose data in a way the user
// should confirm first, and why: DROP of anything, ALTER TABLE … DROP,
// and DELETE or UPDATE without a WHERE clause. Comments, strings and quoted
// names never count (`SELECT 'DROP TABLE x'` is harmless), and EXPLAIN only
// describes a statement without running it.
func IsDestructive(stmt string) (bool, string) {
	toks := lex(stmt)
	v, at := verb(toks)
	name := func(skip ...string) string {
		n := targetName(toks, at, skip...)
		if n == "" {
			return ""
		}
		return " " + sanitize.Line(QuoteIdent(n))
	}
	switch v {
	case "DROP":
		kind := "object"
		if at+1 < len(toks) && toks[at+1].kind == tokWord {
			kind = strings.ToLower(toks[at+1].text)
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
func IsWrite(stmt string) bool {
	toks := lex(stmt)
	v, _ := verb(toks)
	switch v {
	case "", "SELECT", "VALUES", "EXPLAIN", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return false
	case "PRAGMA":
		for _, t := range toks {
			if t.kind == tokPunct && t.text == "=" {
				return true
			}
		}
		return false
	}
	return true
}
