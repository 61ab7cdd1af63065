package editor

import (
	"strings"
)

// pos is a place in the buffer: a line and a byte offset into it, always on
// a grapheme boundary.
type pos struct{ row, col int }

func (p pos) before(q pos) bool { return p.row < q.row || (p.row == q.row && p.col < q.col) }

// order returns p and q with the earlier first.
func order(p, q pos) (pos, pos) {
	if q.before(p) {
		return q, p
	}
	return p, q
}

// buffer is the editor's text as lines without their newlines. Lines are
// never changed in place: every edit builds a new slice, so snapshots (undo,
// model copies) stay valid.
type buffer struct{ lines []string }

func newBuffer(text string) buffer {
	return buffer{lines: strings.Split(normalize(text), "\n")}
}

// normalize turns CRLF and lone CR into LF.
func normalize(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func (b buffer) text() string { return strings.Join(b.lines, "\n") }

// offset is the byte offset of p in text().
func (b buffer) offset(p pos) int {
	n := 0
	for r := 0; r < p.row && r < len(b.lines); r++ {
		n += len(b.lines[r]) + 1
	}
	return n + p.col
}

// posAt is the position of byte offset off in text().
func (b buffer) posAt(off int) pos {
	for r, l := range b.lines {
		if off <= len(l) {
			return pos{r, max(off, 0)}
		}
		off -= len(l) + 1
	}
	last := len(b.lines) - 1
	return pos{last, len(b.lines[last])}
}

// clamp keeps p inside the buffer.
func (b buffer) clamp(p pos) pos {
	p.row = min(max(p.row, 0), len(b.lines)-1)
	p.col = min(max(p.col, 0), len(b.lines[p.row]))
	return p
}

// slice returns the text between two positions (in any order).
func (b buffer) slice(p, q pos) string {
	p, q = order(p, q)
	if p.row == q.row {
		return b.lines[p.row][p.col:q.col]
	}
	var sb strings.Builder
	sb.WriteString(b.lines[p.row][p.col:])
	for r := p.row + 1; r < q.row; r++ {
		sb.WriteByte('\n')
		sb.WriteString(b.lines[r])
	}
	sb.WriteByte('\n')
	sb.WriteString(b.lines[q.row][:q.col])
	return sb.String()
}

// replace swaps the text between p and q for s and returns the new buffer
// and the position just after the inserted text.
func (b buffer) replace(p, q pos, s string) (buffer, pos) {
	p, q = order(p, q)
	head := b.lines[p.row][:p.col]
	tail := b.lines[q.row][q.col:]
	ins := strings.Split(normalize(s), "\n")
	mid := make([]string, len(ins))
	copy(mid, ins)
	mid[0] = head + mid[0]
	end := pos{p.row + len(ins) - 1, len(mid[len(mid)-1])}
	if len(ins) == 1 {
		end.col = len(head) + len(ins[0])
	}
	mid[len(mid)-1] += tail
	lines := make([]string, 0, len(b.lines)-(q.row-p.row)+len(ins)-1)
	lines = append(lines, b.lines[:p.row]...)
	lines = append(lines, mid...)
	lines = append(lines, b.lines[q.row+1:]...)
	return buffer{lines: lines}, end
}
