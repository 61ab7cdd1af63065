// Package dbname is the one definition of a valid database name, MK1's
// rule ^[A-Za-z0-9][A-Za-z0-9_.-]*$ with a length cap. The engine, the
// gateway, the client and the TUI all check names through it.
package dbname

import (
	"errors"
	"strconv"
)

// MaxLen is the longest name accepted, in bytes (the rule allows ASCII
// only). The longest file the engine derives from a name is
// ".<name>.restore-<random>" (about 20 bytes more), so 200 keeps every
// file name under the usual 255-byte filesystem limit.
const MaxLen = 200

// Pattern is the rule as a regular expression, for JSON schemas that tell
// a caller the rule up front (with a maxLength of MaxLen). Check stays the
// definition; TestPatternIsCheck keeps the two equal.
const Pattern = `^[A-Za-z0-9][A-Za-z0-9_.-]*$`

// Reasons a name is refused, worded for a person.
var (
	ErrEmpty   = errors.New("a name is required")
	ErrTooLong = errors.New("at most " + strconv.Itoa(MaxLen) + " characters")
	ErrChars   = errors.New("letters, digits, _ . - only; start with a letter or digit")
)

// Check returns nil for a valid name, else why it is not. A valid name
// can never climb out of a directory: "." and ".." fail the first
// character, and "/" or "\" are not allowed anywhere.
func Check(s string) error {
	switch {
	case s == "":
		return ErrEmpty
	case len(s) > MaxLen:
		return ErrTooLong
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if !alnum && (i == 0 || (c != '_' && c != '.' && c != '-')) {
			return ErrChars
		}
	}
	return nil
}

// Valid reports whether s is a valid database name.
func Valid(s string) bool { return Check(s) == nil }
