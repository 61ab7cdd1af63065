package sqltext

import "strings"

// FreshLines returns the indexes of the lines that start outside any
// string, quoted name or block comment, where a lexer starts in its initial
// state (line 0 always does); the editor cuts its highlighting there. It
// follows Lex's rules in one byte loop over the lines, as it runs on every
// keystroke.
func FreshLines(lines []string) []int { return SQLite.FreshLines(lines) }

// FreshLines is FreshLines following the dialect's lexical rules.
func (d Dialect) FreshLines(lines []string) []int {
	if d == Postgres {
		return freshLinesPostgres(lines)
	}
	starts := make([]int, 0, len(lines))
	var quote byte // open quote character, or '*' inside /* */
	for r, line := range lines {
		if quote == 0 {
			starts = append(starts, r)
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote == '*':
				if c == '*' && i+1 < len(line) && line[i+1] == '/' {
					quote = 0
					i++
				}
			case quote != 0:
				if c == quote {
					quote = 0 // a doubled quote reopens at the next byte
				}
			case c == '-' && i+1 < len(line) && line[i+1] == '-':
				i = len(line) // comment to end of line
			case c == '/' && i+1 < len(line) && line[i+1] == '*':
				quote = '*'
				i++
			case c == '\'' || c == '"' || c == '`':
				quote = c
			case c == '[':
				quote = ']'
			}
		}
	}
	return starts
}

// freshLinesPostgres is FreshLines for PostgreSQL: its strings and comments
// span lines in more ways (dollar quotes, E'…' escapes, nested comments),
// so it follows them with the lexer's own helpers over the joined text.
func freshLinesPostgres(lines []string) []int {
	starts := make([]int, 0, len(lines))
	text := strings.Join(lines, "\n")
	next := 0 // byte offset where the lexer is in its initial state again
	off := 0  // byte offset of line r
	for r, line := range lines {
		eol := off + len(line)
		switch {
		case off >= next:
			starts = append(starts, r)
			next = freshAfter(text, off, eol)
		case next <= eol: // what ran over from above ends on this line
			next = freshAfter(text, next, eol)
		}
		off = eol + 1
	}
	return starts
}

// freshAfter scans text from i, which is outside any token, through the
// line ending at eol, and returns where the last string or comment begun on
// it ends (at most eol when none runs past the line).
func freshAfter(text string, i, eol int) int {
	for i < eol {
		c := text[i]
		switch {
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			return eol
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			i = nestedCommentEnd(text, i)
		case c == '\'' || c == '"':
			i = quoteEnd(text, i, c)
		default:
			if t, ok := postgresToken(text, i); ok && t.Kind == String {
				i = t.End
			} else if IsNameByte(c) {
				for i < eol && IsNameByte(text[i]) {
					i++
				}
			} else {
				i++
			}
		}
	}
	return i
}
