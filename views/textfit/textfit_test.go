package textfit

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFit(t *testing.T) {
	styled := "\x1b[1mhello\x1b[0m"
	for _, tc := range []struct {
		name, got, want string
	}{
		{"cut pads", Cut("ab", 4), "ab  "},
		{"cut truncates bare", Cut("abcdef", 4), "abcd"},
		{"cut at zero", Cut("abc", 0), ""},
		{"ellipsis marks the cut", Ellipsis("abcdef", 4), "abc…"},
		{"ellipsis pads", Ellipsis("ab", 3), "ab "},
		{"ellipsis at negative width", Ellipsis("ab", -1), ""},
		{"wide rune cut leaves a pad", Ellipsis("日本語", 4), "日… "},
		{"align right pads left", Align("7", 3, true), "  7"},
		{"align right cuts", Align("12345", 3, true), "12…"},
		{"align left", Align("7", 3, false), "7  "},
		{"align at zero", Align("7", 0, true), ""},
		{"styled keeps its codes", ansi.Strip(Ellipsis(styled, 7)), "hello  "},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if w := ansi.StringWidth(Ellipsis(styled, 3)); w != 3 {
		t.Errorf("styled cut is %d cells, want 3", w)
	}
}
