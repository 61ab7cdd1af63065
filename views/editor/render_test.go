package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// expandTabs draws tabs the way the editor does.
func expandTabs(s string) string {
	var sb strings.Builder
	x := 0
	for _, r := range s {
		if r == '\t' {
			n := tabWidth - x%tabWidth
			sb.WriteString(strings.Repeat(" ", n))
			x += n
			continue
		}
		sb.WriteRune(r)
		x += ansi.StringWidth(string(r))
	}
	return sb.String()
}

// textOf returns a rendered line without colours and without the gutter.
func textOf(m Model, line string) string {
	return ansi.Cut(line, m.gutterWidth(), m.width)
}

// cursorX is the display column (within the text area) where the cursor
// cell starts on a rendered line, or -1.
func cursorX(m Model, line string) int {
	i := strings.Index(line, m.sty.cursor)
	if i < 0 {
		return -1
	}
	return ansi.StringWidth(line[:i]) - m.gutterWidth()
}

func TestRenderMatchesBuffer(t *testing.T) {
	lines := []string{
		"SELECT id, name FROM customers WHERE name = 'Ann';",
		"SELECT '日本語', \"名前\" FROM t; -- 表 😀 emoji",
		"\tSELECT\t1,\t'a\tb'\t-- tabs",
		"x = 'ünïcödé' /* comment",
		"   still comment */ AND y",
	}
	m := newEditor(t, 80, 8, strings.Join(lines, "\n"))
	m.Blur() // no cursor cell
	view := strings.Split(m.View(), "\n")
	checkSize(t, m.View(), 80, 8)
	for i, want := range lines {
		got := strings.TrimRight(ansi.Strip(textOf(m, view[i])), " ")
		if got != expandTabs(want) {
			t.Errorf("line %d\n got %q\nwant %q", i, got, expandTabs(want))
		}
	}
	if !strings.Contains(view[0], "\x1b[") {
		t.Fatal("no colour in the highlighted line")
	}
}

func TestCursorOnWideCharacters(t *testing.T) {
	m := newEditor(t, 40, 3, "ab日本c😀d")
	m, _ = press(m, "home")
	// byte offsets of each cell start and the display column expected there
	wantX := []int{0, 1, 2, 4, 6, 7, 9, 10}
	for step, want := range wantX {
		line := strings.Split(m.View(), "\n")[0]
		if got := cursorX(m, line); got != want {
			t.Fatalf("after %d rights the cursor is drawn at column %d, want %d\n%q", step, got, want, line)
		}
		if got := ansi.StringWidth(line); got != 40 {
			t.Fatalf("line width %d", got)
		}
		m, _ = press(m, "right")
	}
}

func TestHorizontalScrollKeepsAlignment(t *testing.T) {
	// the odd tail puts the window's left edge inside a wide character
	long := "SELECT " + strings.Repeat("日本", 20) + " FROM tbl WHERE a = 'xy';"
	m := newEditor(t, 30, 3, long)
	tw := m.textWidth()
	full := expandTabs(long)
	for _, k := range []string{"home", "end", "left", "left", "left", "ctrl+left", "ctrl+left"} {
		m, _ = press(m, k)
		line := strings.Split(m.View(), "\n")[0]
		if lw := ansi.StringWidth(line); lw != 30 {
			t.Fatalf("%s: width %d", k, lw)
		}
		got := ansi.Strip(textOf(m, line))
		// the window of the full line, with wide characters cut at either
		// edge drawn as spaces
		want := ansi.Cut(full+strings.Repeat(" ", tw+1), m.left, m.left+tw)
		if ansi.StringWidth(want) < tw {
			want += strings.Repeat(" ", tw-ansi.StringWidth(want))
		}
		if strings.TrimRight(got, " ") != strings.TrimRight(fixEdges(want, full, m.left, tw), " ") {
			t.Fatalf("%s: left=%d\n got %q\nwant %q", k, m.left, got, want)
		}
		x := cursorX(m, line)
		wantX := displayCol(long, m.cur.col) - m.left
		if x != wantX || x < 0 || x >= tw {
			t.Fatalf("%s: cursor drawn at %d, want %d (left %d)", k, x, wantX, m.left)
		}
	}
	if m.left == 0 {
		t.Fatal("never scrolled horizontally")
	}
	m, _ = press(m, "end")
	line := ansi.Strip(textOf(m, strings.Split(m.View(), "\n")[0]))
	if !strings.HasPrefix(line, "  FROM") || m.left != 86 {
		t.Fatalf("wide character cut by the left edge not drawn as a space: %q (left %d)", line, m.left)
	}
}

// fixEdges replaces a wide character cut by the window's left edge with a
// space, as the editor draws it.
func fixEdges(want, full string, left, tw int) string {
	if left > 0 && displayCol(full, colAt(full, left)) < left {
		return " " + ansi.Cut(full, left+1, left+tw)
	}
	return want
}

func TestChunkedHighlightMatchesWholeText(t *testing.T) {
	text := query200() + "\nSELECT 'multi\nline string', \"quoted\nname\" /* block\ncomment */ FROM t;\n-- tail"
	m := newEditor(t, 80, 10, text)
	whole := m.sty.lexChunk(m.buf.text(), len(m.buf.lines))
	for i := range whole {
		if !equalSpans(whole[i], m.hl.lines[i]) {
			t.Fatalf("line %d: chunked %v, whole %v", i, m.hl.lines[i], whole[i])
		}
	}
	if n := len(sqltext.FreshLines(m.buf.lines)); n >= len(m.buf.lines) {
		t.Fatalf("multi-line tokens not grouped: %d chunks for %d lines", n, len(m.buf.lines))
	}
}

func equalSpans(a, b []span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTinySizesDoNotPanic(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {2, 1}, {5, 2}, {12, 3}} {
		m := newEditor(t, sz[0], sz[1], "SELECT '日本' FROM t;\nSELECT 2;")
		m, _ = press(m, "up", "tab")
		checkSize(t, m.View(), sz[0], sz[1])
	}
}

func TestControlCharactersShownVisibly(t *testing.T) {
	m := newEditor(t, 30, 2, "SELECT '\x1b[31mred'")
	v := m.View()
	if strings.Contains(v, "\x1b[31m") {
		t.Fatal("escape sequence from the buffer reached the terminal")
	}
	if !strings.Contains(ansi.Strip(v), "␛[31mred") {
		t.Fatalf("stand-in missing: %q", ansi.Strip(v))
	}
	checkSize(t, v, 30, 2)
}
