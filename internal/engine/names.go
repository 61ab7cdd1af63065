package engine

import "github.com/dbforge/dbforge/internal/dbname"

const maxIdentifierLen = 128

// ValidName reports whether s is a valid database name (package dbname:
// MK1's rule, at most dbname.MaxLen characters). Such a name can never
// climb out of the data directory.
func ValidName(s string) bool { return dbname.Valid(s) }

// ValidIdentifier reports whether s may name a table or column: non-empty,
// at most 128 bytes, valid UTF-8 without control characters. Anything else is
// allowed because identifiers are always quoted with sqltext.QuoteIdent.
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
