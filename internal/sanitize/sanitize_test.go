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
		{"emoji zwj sequences kept", "👩\u200d💻 👨\u200d👩\u200d👧 ❤\ufe0f\u200d🔥", "👩\u200d💻 👨\u200d👩\u200d👧 ❤\ufe0f\u200d🔥"},
		{"persian zwnj kept", "می\u200cخواهم", "می\u200cخواهم"},
		{"devanagari zwj kept", "क्\u200dष", "क्\u200dष"},
		{"zwj between ascii shown", "pay\u200dpal", "pay<U+200D>pal"},
		{"zwnj between ascii shown", "ad\u200cmin", "ad<U+200C>min"},
		{"joiner at the edges shown", "\u200d👩\u200c", "<U+200D>👩<U+200C>"},
		{"joiner next to a space shown", "👩 \u200d💻", "👩 <U+200D>💻"},
		{"doubled joiner shown", "👩\u200d\u200d💻", "👩<U+200D><U+200D>💻"},
		{"joiner beside a bidi override shown", "ی\u200c\u202eخ", "ی<U+200C><U+202E>خ"},
		{"joiner after invalid utf8 shown", "\xff\u200dی", "\uFFFD<U+200D>ی"},
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
	got := Text("one\n\ttwo\x1b[2J\r\nthree\rfour")
	want := "one\n    two␛[2J\r\nthree␍four"
	if got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestIsClean(t *testing.T) {
	if !IsClean("plain text 123") || !IsClean("日本") {
		t.Fatal("clean strings reported dirty")
	}
	if !IsClean("👩\u200d💻") || !IsClean("می\u200cخواهم") {
		t.Fatal("joined text reported dirty")
	}
	for _, s := range []string{"\x1b", "a\nb", "\u202e", "\xff", "\u009b", "a\u200db", "\u200d👩"} {
		if IsClean(s) {
			t.Fatalf("IsClean(%q) = true", s)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "abc", "\x1b[31m", "\u202e", "\xff\xfe", "a\nb", "👩\u200d💻", "ی\u200cخ", "a\u200d\u200db", "\ufffd", "ی\u200d\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		runes := []rune(out)
		for i, r := range runes {
			if isJoiner(r) && i > 0 && i < len(runes)-1 && joinable(runes[i-1]) && joinable(runes[i+1]) {
				continue // a joiner inside an emoji sequence or a word
			}
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) || isInvisible(r) {
				t.Fatalf("unsafe rune %U survived in %q", r, out)
			}
		}
		if IsClean(s) != (out == s) {
			t.Fatalf("IsClean(%q) = %v but Line gives %q", s, IsClean(s), out)
		}
		if strings.ContainsRune(out, '\x1b') {
			t.Fatal("escape survived")
		}
	})
}
