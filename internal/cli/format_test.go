package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/theme"
)

func TestStyledTableMarksNullApart(t *testing.T) {
	g := grid{cols: []string{"a", "b"}, rows: [][]any{{int64(1), nil}, {int64(22), "NULL"}}}
	p := &printer{format: fmtTable, styled: true, th: theme.MustNew(theme.Dark, true, false)}
	var b bytes.Buffer
	p.writeTable(&b, g)
	out := b.String()
	if !strings.Contains(out, "\x1b[") {
		t.Fatalf("styled table has no styles: %q", out)
	}
	// NULL is italic; the text "NULL" is not.
	italicNull := p.th.NullCell().Render("NULL")
	if strings.Count(out, italicNull) != 1 {
		t.Errorf("want exactly one styled NULL in %q", out)
	}
	plain := &printer{format: fmtTable, th: theme.MustNew(theme.Dark, true, true)}
	var pb bytes.Buffer
	plain.writeTable(&pb, g)
	if strings.Contains(pb.String(), "\x1b") {
		t.Errorf("plain table has ANSI: %q", pb.String())
	}
	if ansi.Strip(out) == "" || !strings.Contains(ansi.Strip(out), "22") {
		t.Errorf("styled table lost content: %q", ansi.Strip(out))
	}
}

func TestNumbersRightAligned(t *testing.T) {
	g := grid{cols: []string{"n"}, rows: [][]any{{int64(1)}, {int64(1000)}}}
	p := &printer{format: fmtTable}
	var b bytes.Buffer
	p.writeTable(&b, g)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || lines[0] != "    n" || lines[2] != "    1" || lines[3] != " 1000" {
		t.Errorf("not right-aligned: %q", lines)
	}
}

func TestLongCellsTruncatedInTables(t *testing.T) {
	g := grid{cols: []string{"s"}, rows: [][]any{{strings.Repeat("x", 500)}}}
	p := &printer{format: fmtTable}
	var b bytes.Buffer
	p.writeTable(&b, g)
	for _, l := range strings.Split(b.String(), "\n") {
		if w := ansi.StringWidth(l); w > maxCellWidth+2 {
			t.Errorf("line %d cells wide", w)
		}
	}
	if !strings.Contains(b.String(), "…") {
		t.Error("no ellipsis on a truncated cell")
	}
}

func TestSafeJSONEscapesWhatTerminalsObey(t *testing.T) {
	var b bytes.Buffer
	err := writeJSONRows(&b, grid{cols: []string{"s"}, rows: [][]any{{"a\u009b31mb\u202ec\x7fd é"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "[\n  {\"s\": \"a\\u009b31mb\\u202ec\\u007fd é\"}\n]\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// CSV is data: writeCSV keeps every byte (a pipe or file gets them as they
// are); the printer sanitizes it only for a terminal.
func TestCSVIsByteExact(t *testing.T) {
	var b bytes.Buffer
	if err := writeCSV(&b, grid{cols: []string{"s", "n"}, rows: [][]any{{"line1\nline2\t\x1b[2J", nil}, {"", "👩\u200d💻"}}}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "s,n\r\n\"line1\nline2\t\x1b[2J\",\r\n\"\",👩\u200d💻\r\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestFormatFloat(t *testing.T) {
	for f, want := range map[float64]string{6363: "6363.0", 0.1: "0.1", -2: "-2.0", 1e21: "1e+21", 1.5e-7: "1.5e-07"} {
		if got := formatFloat(f); got != want {
			t.Errorf("formatFloat(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestPlanTreeHandlesOrphansAndCycles(t *testing.T) {
	p := &printer{format: fmtTable}
	var b bytes.Buffer
	p.planTree(&b, []client.PlanNode{{ID: 2, Parent: 0, Detail: "A"}, {ID: 3, Parent: 2, Detail: "B"}, {ID: 5, Parent: 99, Detail: "orphan"}, {ID: 6, Parent: 6, Detail: "self"}})
	want := "QUERY PLAN\n├── A\n│   └── B\n├── orphan\n└── self\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestFriendlyMessages(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{onDB("x", &client.APIError{Status: 404, Code: client.CodeNotFound, Message: "Database not found."}), `database "x" not found`},
		{&client.APIError{Status: 400, Code: client.CodeSQL, Message: "SQL Error: near \"SELEC\": syntax error"}, `SQL error: near "SELEC": syntax error`},
		{&client.APIError{Status: 401, Code: client.CodeUnauthorized, Message: "Invalid API Key."}, "invalid API key"},
		{&client.APIError{Status: 500, Code: client.CodeInternal, Message: "Internal error\x1b[2J."}, "internal error␛[2J"},
		{&client.APIError{Status: 413, Code: client.CodeTooLarge, Message: "Request body too large."}, "request body too large"},
	}
	for _, tc := range cases {
		if got := friendly(tc.err); got != tc.want {
			t.Errorf("friendly(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// PostgreSQL's json, jsonb and array values arrive as objects and lists:
// tables and markdown show them as compact JSON (sanitized), not as Go's
// map[k:v].
func TestCompositeValuesShownAsJSON(t *testing.T) {
	g := grid{cols: []string{"tags", "ids"}, rows: [][]any{{map[string]any{"x": int64(1), "e": "\x1b[31m"}, []any{int64(1), int64(2)}}}}
	for _, f := range []string{fmtTable, fmtMarkdown} {
		p := &printer{format: f}
		var b bytes.Buffer
		if err := p.render(&b, g); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, `[1,2]`) || !strings.Contains(out, `"x":1`) || strings.Contains(out, "map[") || strings.Contains(out, "\x1b") {
			t.Errorf("%s:\n%s", f, out)
		}
	}
}
