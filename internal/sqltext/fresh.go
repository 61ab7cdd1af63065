package sqltext

// FreshLines returns the indexes of the lines that start outside any
// string, quoted name or block comment, where a lexer starts in its initial
// state (line 0 always does); the editor cuts its highlighting there. It
// follows Lex's rules in one byte loop over the lines, as it runs on every
// keystroke.
func FreshLines(lines []string) []int {
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
