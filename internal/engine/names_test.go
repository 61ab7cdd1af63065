package engine

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/sqltext"
)

func TestValidName(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "A1_b.c-d": true, "0": true, strings.Repeat("x", 200): true,
		"": false, ".": false, "..": false, "../x": false, "a/b": false, "a b": false,
		"_a": false, "-a": false, ".a": false, strings.Repeat("x", 201): false, "é": false,
	} {
		if got := ValidName(s); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidIdentifierAndQuote(t *testing.T) {
	for s, want := range map[string]bool{
		"users": true, "my table": true, `we"ird`: true, "naïve": true, "x;DROP": true,
		"": false, "a\x00b": false, "a\nb": false, "\x7f": false, strings.Repeat("c", 129): false, "\xff": false,
	} {
		if got := ValidIdentifier(s); got != want {
			t.Errorf("ValidIdentifier(%q) = %v, want %v", s, got, want)
		}
	}
	if got := sqltext.QuoteIdent(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteIdent = %s", got)
	}
}

func TestCleanMessage(t *testing.T) {
	for in, want := range map[string]string{
		"SQL logic error: no such table: x (1)":                    "no such table: x",
		"constraint failed: UNIQUE constraint failed: t.id (2067)": "UNIQUE constraint failed: t.id",
		"database or disk is full (13)":                            "database or disk is full",
		"database is locked (5) (SQLITE_BUSY)":                     "database is locked",
		`SQL logic error: near "x": syntax error (1)`:              `near "x": syntax error`,
		"missing argument with index 2":                            "missing argument with index 2",
	} {
		if got := cleanMessage(in); got != want {
			t.Errorf("cleanMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
