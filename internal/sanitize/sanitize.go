// Package sanitize makes text from a database or the network safe to draw on
// a terminal: control characters, escape sequences, bidi overrides and
// zero-width characters are replaced by visible stand-ins, so data can never
// move the cursor, recolour the screen or reorder what the user reads.
//
// The joiners ZWJ (U+200D) and ZWNJ (U+200C) are kept where real text uses
// them: between two non-ASCII letters, marks or symbols, as in emoji
// sequences (👩‍💻) and Persian or Indic words (می‌خواهم). Anywhere else (at
// an edge, next to ASCII, a space or another invisible character) they
// only hide a difference, and are shown like the other invisibles.
package sanitize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s for a one-line context: every control character, newlines
// and tabs included, is shown as a visible symbol.
func Line(s string) string { return clean(s, false) }

// Text returns s for a multi-line context: newlines (LF and CRLF) are kept
// and tabs become spaces; every other control character, a lone CR
// included, is shown as a visible symbol.
func Text(s string) string { return clean(s, true) }

// IsClean reports whether Line(s) would return s unchanged; a cheap check
// that lets hot paths skip the rewrite.
func IsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f || b >= 0x80 {
			return isCleanSlow(s)
		}
	}
	return true
}

func isCleanSlow(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	prev := rune(-1)
	for i, r := range s {
		if v := visible(r); v != "" && !(isJoiner(r) && joins(prev, s[i+utf8.RuneLen(r):])) {
			return false
		}
		prev = r
	}
	return true
}

// isJoiner: ZWNJ and ZWJ, the invisibles real text needs.
func isJoiner(r rune) bool { return r == 0x200c || r == 0x200d }

// joins reports whether a joiner after prev and before rest joins two
// non-ASCII graphic runes (letters, marks, symbols such as emoji).
func joins(prev rune, rest string) bool {
	next, _ := utf8.DecodeRuneInString(rest)
	return joinable(prev) && joinable(next)
}

func joinable(r rune) bool {
	return r >= 0x80 && r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) &&
		!isBidiControl(r) && !isInvisible(r)
}

func clean(s string, multiline bool) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
			r = utf8.RuneError
		case multiline && r == '\n':
			b.WriteByte('\n')
		case multiline && r == '\r' && i < len(s) && s[i] == '\n':
			b.WriteByte('\r') // CRLF is a line break; a lone CR is not
		case multiline && r == '\t':
			b.WriteString("    ")
		case isJoiner(r) && joins(prev, s[i:]):
			b.WriteRune(r)
		default:
			if v := visible(r); v != "" {
				b.WriteString(v)
			} else {
				b.WriteRune(r)
			}
		}
		prev = r
	}
	return b.String()
}

// visible returns the stand-in for a rune that must not reach the terminal
// as is, or "" when the rune is safe.
func visible(r rune) string {
	switch {
	case r == 0x1b:
		return "␛"
	case r < 0x20:
		return string(rune(0x2400 + r)) // ␀ … ␟ (Control Pictures)
	case r == 0x7f:
		return "␡"
	case r >= 0x80 && r <= 0x9f: // C1 controls, e.g. CSI 0x9b
		return fmt.Sprintf(`\x%02x`, r)
	case isBidiControl(r), isInvisible(r):
		return fmt.Sprintf("<U+%04X>", r)
	}
	return ""
}

// isBidiControl covers the embeddings, overrides and isolates that can make
// text display in an order other than the one it is stored in.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isInvisible covers zero-width and other characters that occupy no cell
// but change what the text means or how it compares.
func isInvisible(r rune) bool {
	switch r {
	case 0x00ad, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff:
		return true
	}
	return r >= 0xfff9 && r <= 0xfffb // interlinear annotation controls
}
