package results

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// TestJSONCellsShowAsJSON: PostgreSQL's jsonb and array values arrive
// decoded as objects and arrays; the grid, the clipboard and the viewer
// show them as JSON, not as Go's map[n:1] form, and a control character
// inside one is escaped, never drawn.
func TestJSONCellsShowAsJSON(t *testing.T) {
	cols := []client.Column{{Name: "tags", Type: "jsonb"}, {Name: "ids", Type: "_int4"}}
	rows := [][]any{{map[string]any{"n": json.Number("1"), "evil": "\x1b[2J"}, []any{json.Number("1"), json.Number("2")}}}
	m := show(t, 80, 8, cols, rows)
	v := m.View()
	grid := ansi.Strip(v)
	if strings.Contains(grid, "map[") || !strings.Contains(grid, `[1,2]`) || !strings.Contains(grid, `{"evil":"\u001b[2J","n":1}`) {
		t.Fatalf("JSON cells drawn as:\n%s", grid)
	}
	if strings.Contains(v, "\x1b[2J") {
		t.Fatal("an escape sequence inside a JSON value reached the terminal")
	}
	_, ms := press(m, runeKey('Y'))
	equal(t, only[action.Copy](ms), []action.Copy{{Text: `{"evil":"\\u001b[2J","n":1}` + "\t[1,2]", What: "row"}})
	m, _ = press(m, keyEnter)
	view := ansi.Strip(m.View())
	for _, want := range []string{"JSON", `  "n": 1`, `  "evil": "\u001b[2J",`} {
		if !strings.Contains(view, want) {
			t.Fatalf("viewer lacks %q:\n%s", want, view)
		}
	}
}
