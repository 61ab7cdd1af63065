package cli

import (
	"io"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// safeWriter shows a raw stream (an export) on a terminal: control
// characters and escape sequences in the data become visible symbols, as
// everywhere else the CLI prints data. A rune split across two writes is
// held back until it is complete. Files and pipes get the bytes as they
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
	s.tail = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(s.w, sanitize.Text(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes what is left of an unfinished rune, shown as invalid.
func (s *safeWriter) flush() error {
	if len(s.tail) == 0 {
		return nil
	}
	_, err := io.WriteString(s.w, sanitize.Text(string(s.tail)))
	s.tail = nil
	return err
}
