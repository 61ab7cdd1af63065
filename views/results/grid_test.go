package results

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/textfit"
)

func show(t *testing.T, w, h int, cols []client.Column, rows [][]any) Model {
	t.Helper()
	m := newTestModel(t, w, h)
	m.SetResult(7, "select …", &client.QueryResult{Columns: cols, Rows: rows, ExecutionTimeMS: 1.25})
	return m
}

func textCols(names ...string) []client.Column {
	cols := make([]client.Column, len(names))
	for i, n := range names {
		cols[i] = client.Column{Name: n, Type: "TEXT"}
	}
	return cols
}

func TestColumnWidthsFromSample(t *testing.T) {
	cols := []client.Column{{Name: "a_rather_long_header"}, {Name: "n"}, {Name: "body"}, {Name: "wide"}}
	rows := [][]any{
		{"x", int64(7), strings.Repeat("long ", 30), "日本語"},
		{"y", int64(1234567), "short", nil},
	}
	widths, numeric := measure(cols, rows)
	equal(t, widths, []int{20, 7, MaxColWidth, MinColWidth + 2})
	equal(t, numeric, []bool{false, true, false, false})
}

func TestNullDiffersFromStringNULL(t *testing.T) {
	m := show(t, 40, 6, textCols("v"), [][]any{{nil}, {"NULL"}})
	lines := strings.Split(m.View(), "\n")
	nullLine, strLine := lines[2], lines[3]
	if ansi.Strip(nullLine)[1:] != ansi.Strip(strLine)[1:] {
		t.Fatalf("text differs beyond the row number: %q vs %q", ansi.Strip(nullLine), ansi.Strip(strLine))
	}
	if nullLine[1:] == strLine[1:] {
		t.Fatal("NULL and the string \"NULL\" are drawn the same")
	}
	if !strings.Contains(nullLine, "\x1b[3") && !strings.Contains(nullLine, ";3m") && !strings.Contains(nullLine, ";3;") {
		t.Fatalf("NULL is not italic: %q", nullLine)
	}
}

func TestEscapeSequencesShownVisibly(t *testing.T) {
	m := show(t, 60, 6, textCols("v"), [][]any{{"evil \x1b[31mred\x07 \x1b]52;c;aGk=\x07"}})
	v := m.View()
	if strings.Contains(v, "\x1b[31mred") || strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x07") {
		t.Fatal("escape sequence from a cell reached the terminal")
	}
	if !strings.Contains(ansi.Strip(v), "evil ␛[31mred␇ ␛]52") {
		t.Fatalf("escape not shown visibly:\n%s", ansi.Strip(v))
	}
}

// TestWideCharactersAligned: CJK and emoji take two cells; separators stay
// in the same columns on every row.
func TestWideCharactersAligned(t *testing.T) {
	rows := [][]any{{"ascii", int64(1)}, {"日本語のテキスト", int64(2)}, {"emoji 🎉🎉", int64(3)}, {"é combining é", int64(4)}}
	m := show(t, 50, 8, textCols("name", "n"), rows)
	v := m.View()
	checkSize(t, v, 50, 8)
	var want []int
	for i, l := range strings.Split(ansi.Strip(v), "\n")[:6] {
		if i == 1 {
			continue // the rule line uses ┼
		}
		var at []int
		x := 0
		for _, g := range graphemes(l) {
			if g == "│" {
				at = append(at, x)
			}
			x += ansi.StringWidth(g)
		}
		if want == nil {
			want = at
		}
		equal(t, at, want)
	}
}

func graphemes(s string) []string {
	var out []string
	for len(s) > 0 {
		g := ansi.Truncate(s, 1, "")
		if g == "" { // a wide grapheme: take it whole
			g = ansi.Truncate(s, 2, "")
		}
		out = append(out, g)
		s = s[len(g):]
	}
	return out
}

func TestHorizontalScroll(t *testing.T) {
	m := started(t, 40, 10, 1_000)
	m.SetResult(1, "q", &client.QueryResult{Columns: synthCols(20), Rows: synth(0, 50, 20)})
	header := func() string { return strings.Fields(ansi.Strip(strings.Split(m.View(), "\n")[0]))[1] }
	if header() != "col0" {
		t.Fatalf("first header %q", header())
	}
	for i := 1; i < 20; i++ {
		m, _ = press(m, keyRight)
		if _, c := m.Cursor(); c != i || !m.visibleFull(i) {
			t.Fatalf("step %d: cursor col %d, fully visible %v", i, c, m.visibleFull(i))
		}
	}
	if m.left == 0 {
		t.Fatal("never scrolled right")
	}
	if !strings.Contains(ansi.Strip(m.View()), "col19") {
		t.Fatal("last column not shown")
	}
	m, _ = press(m, runeKey('0'))
	if header() != "col0" || m.left != 0 {
		t.Fatalf("0 did not return to the first column: %q", header())
	}
	m, _ = press(m, runeKey('$'), keyLeft, keyLeft)
	if _, c := m.Cursor(); c != 17 || !m.visibleFull(17) {
		t.Fatalf("cursor col %d", c)
	}
}

func TestCellViewerJSONAndText(t *testing.T) {
	long := strings.Repeat("lorem ipsum dolor ", 20)
	m := show(t, 40, 12, textCols("doc", "txt"), [][]any{{`{"a":1,"b":[true,null]}`, long}})
	m, _ = press(m, keyEnter)
	if !m.Overlay() {
		t.Fatal("viewer not open")
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"doc TEXT · row 1", "\n{     ", `  "a": 1,`, `  "b": [`, `    true,`, "JSON"} {
		if !strings.Contains(v, want) {
			t.Fatalf("viewer lacks %q:\n%s", want, v)
		}
	}
	m, _ = press(m, keyEsc, keyRight, keyEnter)
	v = ansi.Strip(m.View())
	checkSize(t, m.View(), 40, 12)
	if strings.Count(v, "lorem") < 5 || strings.Contains(v, "JSON") {
		t.Fatalf("long text not wrapped over lines:\n%s", v)
	}
	m, _ = press(m, keyEnter)
	if m.Overlay() {
		t.Fatal("enter did not close the viewer")
	}
}

func TestCellViewerBlob(t *testing.T) {
	blob := make([]byte, 1000)
	for i := range blob {
		blob[i] = byte(i)
	}
	copy(blob, "\xde\xad\xbe\xef\x1b[2J")
	m := show(t, 80, 12, []client.Column{{Name: "data", Type: "BLOB"}}, [][]any{{blob}})
	if !strings.Contains(ansi.Strip(m.View()), "<blob 1000 B>") {
		t.Fatalf("blob cell:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(m, keyEnter)
	v := m.View()
	if strings.Contains(v, "\x1b[2J") {
		t.Fatal("blob bytes reached the terminal")
	}
	s := ansi.Strip(v)
	for _, want := range []string{"BLOB · 1,000 bytes (1000 B)", "00000000  de ad be ef 1b 5b 32 4a  08 09 0a 0b 0c 0d 0e 0f  |.....[2J........|"} {
		if !strings.Contains(s, want) {
			t.Fatalf("viewer lacks %q:\n%s", want, s)
		}
	}
	m, _ = press(m, keyEnd)
	if !strings.Contains(ansi.Strip(m.View()), "488 more bytes") {
		t.Fatalf("hex dump end:\n%s", ansi.Strip(m.View()))
	}
}

func TestCopyCellAndRow(t *testing.T) {
	rows := [][]any{{int64(1), "tab\there", nil, 2.5, "line\nbreak \\ back", []byte{0xca, 0xfe}}}
	m := show(t, 80, 8, textCols("id", "a", "b", "c", "d", "e"), rows)
	m, ms := press(m, keyRight, runeKey('y'))
	equal(t, only[action.Copy](ms), []action.Copy{{Text: "tab\there", What: "cell"}})
	_, ms = press(m, runeKey('Y'))
	equal(t, only[action.Copy](ms), []action.Copy{{Text: `1	tab\there		2.5	line\nbreak \\ back	cafe`, What: "row"}})
}

func TestExportPrompt(t *testing.T) {
	m := show(t, 60, 8, textCols("a"), [][]any{{"x"}})
	m, _ = press(m, runeKey('e'))
	if !m.InTextInput() || !strings.Contains(ansi.Strip(m.View()), "export to: results.csv") {
		t.Fatalf("prompt not shown:\n%s", ansi.Strip(m.View()))
	}
	back := tea.KeyPressMsg{Code: tea.KeyBackspace}
	m, ms := press(m, back, back, back, runeKey('x'), runeKey('l'), keyEnter)
	if len(ms) != 0 || !m.InTextInput() || !strings.Contains(ansi.Strip(m.View()), "unknown extension") {
		t.Fatalf("bad extension accepted: %v\n%s", ms, ansi.Strip(m.View()))
	}
	m, _ = press(m, back, back, runeKey('j'), runeKey('s'), runeKey('o'), runeKey('n'))
	m, ms = press(m, keyEnter)
	equal(t, only[action.ExportResult](ms), []action.ExportResult{{QueryID: 7, Path: "results.json", Format: "json"}})
	if m.InTextInput() {
		t.Fatal("prompt still open")
	}
	m, _ = press(m, runeKey('e'), keyEsc)
	if m.InTextInput() {
		t.Fatal("esc did not cancel")
	}
}

func TestMessageAndError(t *testing.T) {
	m := newTestModel(t, 60, 6)
	m.SetResult(3, "update t set a = 1", &client.QueryResult{Message: "ok", RowsAffected: 3, LastInsertID: 42, ExecutionTimeMS: 0.8})
	if !strings.Contains(ansi.Strip(m.View()), "✓ 3 rows affected, last insert id 42") || m.Title() != "Results · 0.8 ms" {
		t.Fatalf("message view:\n%s\ntitle %q", ansi.Strip(m.View()), m.Title())
	}
	m.SetError(errors.New("no such table: nope\x1b[2J"))
	v := m.View()
	if !strings.Contains(ansi.Strip(v), "✖ no such table: nope␛[2J") || strings.Contains(v, "\x1b[2J") || m.Title() != "Results · error" {
		t.Fatalf("error view:\n%s", ansi.Strip(v))
	}
	m.SetMessage("script: 4 statements ran")
	if !strings.Contains(ansi.Strip(m.View()), "script: 4 statements ran") {
		t.Fatal("SetMessage not shown")
	}
}

// TestTinySizes: every mode renders exactly the size asked for, down to 0×0.
func TestTinySizes(t *testing.T) {
	rows := [][]any{{int64(1), "日本語", nil, []byte{1}}}
	for _, size := range [][2]int{{0, 0}, {1, 1}, {2, 1}, {1, 3}, {3, 2}, {8, 3}, {12, 4}, {20, 5}} {
		w, h := size[0], size[1]
		m := show(t, w, h, textCols("a", "b", "c", "d"), rows)
		checkSize(t, m.View(), w, h)
		m2, _ := press(m, keyEnter)
		checkSize(t, m2.View(), w, h)
		m3, _ := press(m, runeKey('e'))
		checkSize(t, m3.View(), w, h)
		m.SetError(errors.New("boom"))
		checkSize(t, m.View(), w, h)
	}
}

func TestCursorCellHighlighted(t *testing.T) {
	m := show(t, 40, 6, textCols("a", "b"), [][]any{{"x", "y"}, {"z", "w"}})
	m, _ = press(m, keyDown, keyRight)
	want := m.th.CursorCell(true).Render(" " + textfit.Align("w", MinColWidth, false) + " ")
	lines := strings.Split(m.View(), "\n")
	if !strings.Contains(lines[3], want) || strings.Contains(lines[2], want) {
		t.Fatalf("cursor cell not highlighted on row 2:\n%q", lines[3])
	}
	m.Blur()
	if strings.Contains(m.View(), want) {
		t.Fatal("blurred pane still shows the focused cursor style")
	}
}

func TestExportPromptCompletesPaths(t *testing.T) {
	m := show(t, 60, 8, textCols("a"), [][]any{{"x"}})
	m, _ = press(m, runeKey('e'))
	m.exportInput.SetValue("out/r")
	m, ms := press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	reqs := only[action.CompletePath](ms)
	if len(reqs) != 1 || reqs[0].ID != CompletionID || reqs[0].Input != "out/r" {
		t.Fatalf("tab sent %#v", ms)
	}
	r := reqs[0]
	m.SetCompletions(action.PathCompletions{ID: r.ID, Seq: r.Seq, Input: r.Input, Total: 2,
		Entries: []action.PathEntry{{Name: "report_a.csv"}, {Name: "report_b.csv"}}})
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[7], "export to: out/report_") ||
		!strings.HasPrefix(lines[6], "report_a.csv  report_b.csv") {
		t.Fatalf("view:\n%s", strings.Join(lines, "\n"))
	}
	_, ms = press(m, tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyTab}, keyEnter)
	equal(t, only[action.ExportResult](ms), []action.ExportResult{{QueryID: 7, Path: "out/report_b.csv", Format: "csv"}})
}
