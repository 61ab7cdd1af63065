package engine

import "strings"

const (
	maxNameLen       = 64
	maxIdentifierLen = 128
)

// ValidName reports whether s is a valid database name:
// ^[A-Za-z0-9][A-Za-z0-9_.-]*$, at most 64 characters. Such a name can never
// climb out of the data directory ("." and ".." fail the first character).
func ValidName(s string) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if alnum || (i > 0 && (c == '_' || c == '.' || c == '-')) {
			continue
		}
		return false
	}
	return true
}

// ValidIdentifier reports whether s may name a table or column: non-empty,
// at most 128 bytes, valid UTF-8 without control characters. Anything else is
// allowed because identifiers are always quoted with QuoteIdent.
func ValidIdentifier(s string) bool {
	if s == "" || len(s) > maxIdentifierLen {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// QuoteIdent quotes an identifier for SQLite: double quotes around it, inner
// double quotes doubled. Every identifier that reaches SQL text goes through it.
func QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
