package sqltext

import (
	"reflect"
	"testing"
)

func texts(st []Statement) []string {
	out := []string{}
	for _, s := range st {
		out = append(out, s.Text)
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"single no semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"two statements", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"empty input", "", []string{}},
		{"only semicolons and space", " ; ;\n; ", []string{}},
		{"only comments", "-- hello\n/* there */ ;", []string{}},
		{"semicolon in single quotes", "SELECT 'a;b'; SELECT 2", []string{"SELECT 'a;b'", "SELECT 2"}},
		{"doubled quote escape", "SELECT 'it''s;'; SELECT 2", []string{"SELECT 'it''s;'", "SELECT 2"}},
		{"double-quoted identifier", `SELECT "a;b" FROM t; SELECT 2`, []string{`SELECT "a;b" FROM t`, "SELECT 2"}},
		{"backtick identifier", "SELECT `a;b`; SELECT 2", []string{"SELECT `a;b`", "SELECT 2"}},
		{"bracket identifier", "SELECT [a;b]; SELECT 2", []string{"SELECT [a;b]", "SELECT 2"}},
		{"line comment holds semicolon", "SELECT 1 -- x; y\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"block comment holds semicolon", "SELECT /* ; */ 1; SELECT 2", []string{"SELECT /* ; */ 1", "SELECT 2"}},
		{"leading comment dropped", "-- note\nSELECT 1;", []string{"SELECT 1"}},
		{"unterminated string", "SELECT 'abc; SELECT 2", []string{"SELECT 'abc; SELECT 2"}},
		{"unterminated block comment", "SELECT 1; /* never ends; SELECT 2", []string{"SELECT 1"}},
		{"unterminated identifier", `SELECT "abc; x`, []string{`SELECT "abc; x`}},
		{
			"trigger body",
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END; SELECT 1",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END", "SELECT 1"},
		},
		{
			"temp trigger with case",
			"create temp trigger tr before update on t begin select case when new.a > 0 then 1 else 2 end; insert into l values(1); end;select 2",
			[]string{"create temp trigger tr before update on t begin select case when new.a > 0 then 1 else 2 end; insert into l values(1); end", "select 2"},
		},
		{"begin transaction is not a trigger", "BEGIN; SELECT 1; END;", []string{"BEGIN", "SELECT 1", "END"}},
		{"case outside trigger", "SELECT CASE WHEN 1 THEN 2 END; SELECT 3", []string{"SELECT CASE WHEN 1 THEN 2 END", "SELECT 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in)
			if !reflect.DeepEqual(texts(got), tt.want) {
				t.Fatalf("Split(%q) = %q, want %q", tt.in, texts(got), tt.want)
			}
			for _, s := range got {
				if tt.in[s.Start:s.End] != s.Text {
					t.Errorf("offsets %d:%d do not match text %q", s.Start, s.End, s.Text)
				}
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	got := Split("SELECT 1;\n\n-- c\nSELECT\n 2;\r\nSELECT 3")
	lines := []int{}
	for _, s := range got {
		lines = append(lines, s.Line)
	}
	if want := []int{1, 4, 6}; !reflect.DeepEqual(lines, want) {
		t.Fatalf("lines = %v, want %v", lines, want)
	}
}

func TestKeyword(t *testing.T) {
	for in, want := range map[string]string{
		"select 1":                "SELECT",
		"/* c */ With x AS (1) x": "WITH",
		"(SELECT 1)":              "",
	} {
		st := Split(in)
		if len(st) != 1 || st[0].Keyword() != want {
			t.Errorf("Keyword(%q) = %v, want %q", in, st, want)
		}
	}
}

func TestStatementAt(t *testing.T) {
	src := "SELECT 1;\nSELECT 2;  \n\n SELECT 3;\n"
	tests := []struct {
		offset int
		want   string
	}{
		{0, "SELECT 1"},
		{4, "SELECT 1"},
		{9, "SELECT 1"},  // just past the first semicolon
		{10, "SELECT 2"}, // start of second line
		{19, "SELECT 2"}, // just past the second semicolon
		{21, "SELECT 3"}, // blank lines belong to the next statement
		{24, "SELECT 3"},
		{len(src), "SELECT 3"}, // end of buffer
	}
	for _, tt := range tests {
		got, ok := StatementAt(src, tt.offset)
		if !ok || got.Text != tt.want {
			t.Errorf("StatementAt(%d) = %q, %v; want %q", tt.offset, got.Text, ok, tt.want)
		}
	}
	if _, ok := StatementAt(" -- nothing\n", 3); ok {
		t.Error("StatementAt on a comment-only script reported a statement")
	}
	if got, _ := StatementAt("SELECT 1;SELECT 2", 9); got.Text != "SELECT 2" {
		t.Errorf("offset at the start of the next statement gave %q", got.Text)
	}
}

func FuzzSplit(f *testing.F) {
	for _, seed := range []string{
		"SELECT 1; SELECT 2",
		"SELECT 'a;b' -- c\n; /* d; */",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; END;",
		"[unterminated",
		"'",
		";;;",
	} {
		f.Add(seed, 3)
	}
	f.Fuzz(func(t *testing.T, src string, offset int) {
		prevEnd := 0
		for _, s := range Split(src) {
			if s.Start < prevEnd || s.Start >= s.End || s.End > len(src) {
				t.Fatalf("bad offsets %d:%d (prev end %d, len %d)", s.Start, s.End, prevEnd, len(src))
			}
			if src[s.Start:s.End] != s.Text || s.Line < 1 {
				t.Fatalf("text/line mismatch for %+v", s)
			}
			prevEnd = s.End
		}
		if offset < 0 {
			offset = -offset
		}
		if len(src) > 0 {
			offset %= len(src) + 1
		}
		if s, ok := StatementAt(src, offset); ok && src[s.Start:s.End] != s.Text {
			t.Fatalf("StatementAt gave inconsistent %+v", s)
		}
	})
}
