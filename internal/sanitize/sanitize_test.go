package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain ascii untouched", "hello, world", "hello, world"},
		{"unicode untouched", "café 日本語 😀", "café 日本語 😀"},
		{"csi colour shown", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"},
		{"osc title shown", "\x1b]0;pwned\x07", "␛]0;pwned␇"},
		{"newline and tab shown", "a\nb\tc\r", "a␊b␉c␍"},
		{"nul and del", "\x00x\x7f", "␀x␡"},
		{"c1 csi", "a\u009b31m", `a\x9b31m`},
		{"bidi override", "abc\u202edcba", "abc<U+202E>dcba"},
		{"isolate", "\u2066x\u2069", "<U+2066>x<U+2069>"},
		{"zero width", "pay\u200bpal", "pay<U+200B>pal"},
		{"bom", "\ufeffid", "<U+FEFF>id"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.want {
				t.Fatalf("Line(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestTextKeepsLines(t *testing.T) {
	got := Text("one\n\ttwo\x1b[2J")
	want := "one\n    two␛[2J"
	if got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestIsClean(t *testing.T) {
	if !IsClean("plain text 123") || !IsClean("日本") {
		t.Fatal("clean strings reported dirty")
	}
	for _, s := range []string{"\x1b", "a\nb", "\u202e", "\xff", "\u009b"} {
		if IsClean(s) {
			t.Fatalf("IsClean(%q) = true", s)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "abc", "\x1b[31m", "\u202e", "\xff\xfe", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) || isInvisible(r) {
				t.Fatalf("unsafe rune %U survived in %q", r, out)
			}
		}
		if strings.ContainsRune(out, '\x1b') {
			t.Fatal("escape survived")
		}
	})
}
