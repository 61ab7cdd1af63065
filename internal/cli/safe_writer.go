package cli

import (
	"io"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// safeWriter shows a raw stream (an export, CSV) on a terminal: control
// characters and escape sequences in the data become visible symbols, as
// everywhere else the CLI prints data. What sanitize needs to see whole is
// held back until the next write: a rune split across two writes, a CR
// that may be half a CRLF, and a joiner with the rune before it (kept only
// between two letters or emoji). Files and pipes get the bytes as they
// are; this is only for a terminal.
type safeWriter struct {
	w    io.Writer
	tail []byte // an incomplete UTF-8 sequence from the last write
}

func (s *safeWriter) Write(p []byte) (int, error) {
	buf := append(s.tail, p...)
	cut := len(buf)
	// back up over at most 3 bytes of an unfinished rune
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	cut = holdBack(buf, cut)
	s.tail = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(s.w, sanitize.Text(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// holdBack picks where to stop writing: before the last complete rune
// (what follows it is not known yet), and never right after a CR (half a
// CRLF?) or next to a joiner, which sanitize must see with both neighbours.
func holdBack(buf []byte, full int) int {
	if full == 0 {
		return 0
	}
	_, size := utf8.DecodeLastRune(buf[:full])
	cut := full - size
	for cut > 0 {
		prev, psize := utf8.DecodeLastRune(buf[:cut])
		next, _ := utf8.DecodeRune(buf[cut:])
		if prev != '\r' && !isJoiner(prev) && !isJoiner(next) {
			break
		}
		cut -= psize
	}
	return cut
}

// isJoiner: ZWNJ and ZWJ.
func isJoiner(r rune) bool { return r == 0x200c || r == 0x200d }

// flush writes what is left of an unfinished rune, shown as invalid.
func (s *safeWriter) flush() error {
	if len(s.tail) == 0 {
		return nil
	}
	_, err := io.WriteString(s.w, sanitize.Text(string(s.tail)))
	s.tail = nil
	return err
}
