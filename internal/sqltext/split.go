// Package sqltext is DB-Forge's one place of SQL text knowledge, without
// parsing: the lexer (tokens with positions, following SQLite's rules for
// quotes and comments, or PostgreSQL's through a Dialect), statement splitting (trigger bodies included), the
// classification the TUI needs before it sends a statement (IsWrite,
// IsDestructive) and identifier quoting (QuoteIdent). What a statement
// actually did is not guessed here: the engine learns it from SQLite.
package sqltext

import "strings"

// Statement is one statement of a script. Text is src[Start:End], without
// leading comments, surrounding whitespace or the terminating semicolon.
type Statement struct {
	Text  string
	Start int // byte offset of the first character
	End   int // byte offset just past the last character
	Line  int // 1-based line of Start
}

// span is a statement plus the extent of the script region it owns: from
// just after the previous terminator through its own terminator.
type span struct {
	Statement
	regionStart, regionEnd int
}

// Keyword returns the statement's first word in upper case ("SELECT",
// "WITH", "PRAGMA", …), or "" when it starts with something else.
func (s Statement) Keyword() string { return firstWord(s.Text) }

// IsQuery reports whether the statement starts like a query (SELECT, WITH or
// VALUES), so it may be read again as a subquery: SELECT … FROM (it).
// SQLite still decides; a WITH … DELETE fails there and is not wrapped.
func (s Statement) IsQuery() bool {
	switch s.Keyword() {
	case "SELECT", "WITH", "VALUES":
		return true
	}
	return false
}

// Split returns the non-empty statements of sql in order. Statements that
// hold only whitespace or comments are dropped. Unterminated quotes and
// comments run to the end of the input.
func Split(sql string) []Statement { return SQLite.Split(sql) }

// Split is Split following the dialect's lexical rules.
func (d Dialect) Split(sql string) []Statement {
	spans := split(sql, d)
	out := make([]Statement, 0, len(spans))
	for _, s := range spans {
		out = append(out, s.Statement)
	}
	return out
}

// StatementAt returns the statement whose region holds the byte offset: the
// region of a statement runs from just after the previous semicolon through
// its own. An offset in trailing blank text belongs to the last statement.
// It returns false only when the script holds no statement.
func StatementAt(sql string, offset int) (Statement, bool) {
	return SQLite.StatementAt(sql, offset)
}

// StatementAt is StatementAt following the dialect's lexical rules.
func (d Dialect) StatementAt(sql string, offset int) (Statement, bool) {
	spans := split(sql, d)
	if len(spans) == 0 {
		return Statement{}, false
	}
	for i, s := range spans {
		if offset > s.regionEnd {
			continue
		}
		// The offset just past a semicolon belongs to the statement it ends,
		// unless the next statement starts right there.
		if i+1 < len(spans) && offset >= spans[i+1].Start {
			continue
		}
		return s.Statement, true
	}
	return spans[len(spans)-1].Statement, true
}

func split(src string, d Dialect) []span {
	var (
		out         []span
		lx          = lexer{src: src, d: d}
		regionStart = 0
		start       = -1 // first significant byte of the current statement
		lastEnd     = 0  // end of its last significant token
		words       = 0  // keywords seen in the current statement (up to 4)
		head        [4]string
		trigger     bool // statement is CREATE [TEMP] TRIGGER
		depth       int  // BEGIN/CASE nesting inside a trigger body
		pg          pgBody
	)
	flush := func(regionEnd int) {
		if start >= 0 {
			out = append(out, span{
				Statement: Statement{
					Text:  src[start:lastEnd],
					Start: start,
					End:   lastEnd,
					Line:  1 + strings.Count(src[:start], "\n"),
				},
				regionStart: regionStart,
				regionEnd:   regionEnd,
			})
		}
		regionStart = regionEnd
		start, words, trigger, depth, pg = -1, 0, false, 0, pgBody{}
	}
	for t, ok := lx.next(); ok; t, ok = lx.next() {
		if d == Postgres {
			if pg.open() == 0 && t.IsPunct(";") {
				flush(t.End)
				continue
			}
			pg.see(t)
		} else if depth == 0 && t.IsPunct(";") {
			flush(t.End)
			continue
		}
		if d == SQLite && t.Kind == Word && (words < len(head) || trigger) {
			w := t.Upper()
			if words < len(head) {
				head[words] = w
				words++
				trigger = trigger || isTriggerHead(head[:words])
			}
			if trigger {
				switch w {
				case "BEGIN", "CASE":
					depth++
				case "END":
					if depth > 0 {
						depth--
					}
				}
			}
		}
		if start < 0 {
			start = t.Start
		}
		lastEnd = t.End
	}
	flush(len(src))
	return out
}

// isTriggerHead reports whether the first keywords open CREATE [TEMP|TEMPORARY] TRIGGER.
func isTriggerHead(h []string) bool {
	if len(h) < 2 || h[0] != "CREATE" {
		return false
	}
	if h[1] == "TRIGGER" {
		return true
	}
	return len(h) >= 3 && (h[1] == "TEMP" || h[1] == "TEMPORARY") && h[2] == "TRIGGER"
}

// pgBody tracks what keeps a semicolon from ending a PostgreSQL statement:
// parentheses (a rule's list of actions) and a BEGIN ATOMIC … END function
// body, where CASE … END nests.
type pgBody struct {
	parens, atomic, cases int
	prevBegin             bool // the previous token was the word BEGIN
}

// open is the nesting depth; a semicolon at depth 0 ends the statement.
func (b *pgBody) open() int { return b.parens + b.atomic }

func (b *pgBody) see(t Token) {
	begin := b.prevBegin
	b.prevBegin = t.Is("BEGIN")
	switch {
	case t.IsPunct("("):
		b.parens++
	case t.IsPunct(")"):
		if b.parens > 0 {
			b.parens--
		}
	case t.Is("ATOMIC") && begin:
		b.atomic++
	case b.atomic > 0 && t.Is("CASE"):
		b.cases++
	case b.atomic > 0 && t.Is("END"):
		if b.cases > 0 {
			b.cases--
		} else {
			b.atomic--
		}
	}
}
