package dbname

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := map[string]error{
		"a":                           nil,
		"shop_2024.v1-copy":           nil,
		"9lives":                      nil,
		strings.Repeat("a", MaxLen):   nil,
		"":                            ErrEmpty,
		strings.Repeat("a", MaxLen+1): ErrTooLong,
		"_x":                          ErrChars,
		".":                           ErrChars,
		"..":                          ErrChars,
		"-x":                          ErrChars,
		"a/b":                         ErrChars,
		`a\b`:                         ErrChars,
		"a b":                         ErrChars,
		"é":                           ErrChars,
		"a\x00":                       ErrChars,
	}
	for name, want := range cases {
		if got := Check(name); !errors.Is(got, want) {
			t.Errorf("Check(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestMatchesMK1 compares Check with MK1's own regular expression on
// every one- and two-byte name, and on a few longer ones.
func TestMatchesMK1(t *testing.T) {
	mk1 := regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)
	try := func(s string) {
		if Valid(s) != mk1.MatchString(s) {
			t.Fatalf("%q: Valid %v, MK1 %v", s, Valid(s), mk1.MatchString(s))
		}
	}
	for a := 0; a < 256; a++ {
		try(string([]byte{byte(a)}))
		for b := 0; b < 256; b++ {
			try(string([]byte{byte(a), byte(b)}))
		}
	}
	try("a_b.c-d")
	try("a\n")
}

// TestPatternIsCheck: Pattern accepts exactly what Check accepts, up to
// MaxLen, on every one- and two-byte name.
func TestPatternIsCheck(t *testing.T) {
	re := regexp.MustCompile(Pattern)
	for a := 0; a < 256; a++ {
		for b := -1; b < 256; b++ {
			s := string([]byte{byte(a)})
			if b >= 0 {
				s += string([]byte{byte(b)})
			}
			if re.MatchString(s) != Valid(s) {
				t.Fatalf("%q: Pattern %v, Check %v", s, re.MatchString(s), Valid(s))
			}
		}
	}
}
