// Package sqltext splits SQL scripts into statements without parsing them:
// it knows just enough of SQLite's lexical rules (quotes, comments, trigger
// bodies) to find the semicolons that end statements.
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
func (s Statement) Keyword() string {
	i := 0
	for i < len(s.Text) && isWordByte(s.Text[i]) {
		i++
	}
	return strings.ToUpper(s.Text[:i])
}

// Split returns the non-empty statements of sql in order. Statements that
// hold only whitespace or comments are dropped. Unterminated quotes and
// comments run to the end of the input.
func Split(sql string) []Statement {
	spans := split(sql)
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
	spans := split(sql)
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

// scanner walks the script one token at a time.
type scanner struct {
	src string
	pos int
}

func split(src string) []span {
	var (
		out         []span
		sc          = scanner{src: src}
		regionStart = 0
		start       = -1 // first significant byte of the current statement
		lastEnd     = 0  // end of its last significant token
		words       = 0  // keywords seen in the current statement (up to 4)
		head        [4]string
		trigger     bool // statement is CREATE [TEMP] TRIGGER
		depth       int  // BEGIN/CASE nesting inside a trigger body
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
		start, words, trigger, depth = -1, 0, false, 0
	}
	for sc.pos < len(src) {
		c := src[sc.pos]
		tokStart := sc.pos
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			sc.pos++
			continue
		case c == '-' && sc.peek(1) == '-':
			sc.lineComment()
			continue
		case c == '/' && sc.peek(1) == '*':
			sc.blockComment()
			continue
		case c == ';' && depth == 0:
			sc.pos++
			flush(sc.pos)
			continue
		case c == '\'' || c == '"' || c == '`':
			sc.quoted(c)
		case c == '[':
			sc.quoted(']')
		case isWordByte(c):
			sc.word()
			w := strings.ToUpper(src[tokStart:sc.pos])
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
		default:
			sc.pos++
		}
		if start < 0 {
			start = tokStart
		}
		lastEnd = sc.pos
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

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (s *scanner) peek(n int) byte {
	if s.pos+n < len(s.src) {
		return s.src[s.pos+n]
	}
	return 0
}

func (s *scanner) lineComment() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
		return
	}
	s.pos = len(s.src)
}

func (s *scanner) blockComment() {
	if i := strings.Index(s.src[s.pos+2:], "*/"); i >= 0 {
		s.pos += 2 + i + 2
		return
	}
	s.pos = len(s.src)
}

// quoted skips a quoted token; a doubled closing quote inside is an escape,
// which falls out naturally as two adjacent quoted tokens.
func (s *scanner) quoted(closing byte) {
	if i := strings.IndexByte(s.src[s.pos+1:], closing); i >= 0 {
		s.pos += 1 + i + 1
		return
	}
	s.pos = len(s.src)
}

func (s *scanner) word() {
	for s.pos < len(s.src) && isWordByte(s.src[s.pos]) {
		s.pos++
	}
}
