package chart

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

// TestDecimalColumnsPlot: PostgreSQL numeric values arrive as decimal
// strings; a column declared numeric(p,s) or decimal is plotted (a bar per
// label here, with its value), while number-like text in a text column
// stays text, and a non-number in a numeric column is refused as before.
func TestDecimalColumnsPlot(t *testing.T) {
	m := newChart(t, 76, 19, false)
	cols := []client.Column{{Name: "name", Type: "text"}, {Name: "price", Type: "numeric(8,2)"}}
	m.SetData(cols, [][]any{{"tea", "1.25"}, {"cake", "1234.50"}, {"jam", nil}})
	if m.Kind() != Bar || fmt.Sprint(m.Series()) != "[1]" {
		t.Fatalf("kind %v series %v, want a bar chart of price", m.Kind(), m.Series())
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "█ 1234") || !strings.Contains(v, "tea") {
		t.Fatalf("price bars:\n%s", v)
	}
	cols = append(cols, client.Column{Name: "code", Type: "text"})
	m.SetData(cols, [][]any{{"tea", "1.25", "10"}, {"cake", "1234.50", "20"}})
	m = press(m, runeKey('j'), runeKey('j'), space) // "code" is text
	if fmt.Sprint(m.Series()) != "[1]" || !strings.Contains(ansi.Strip(m.View()), `"code" is not numeric`) {
		t.Fatalf("text column of digits plotted: %v\n%s", m.Series(), ansi.Strip(m.View()))
	}
	m.SetData([]client.Column{{Name: "k", Type: "text"}, {Name: "n", Type: "numeric"}}, [][]any{{"a", "1"}, {"b", "NaN?"}})
	if numericColumns(m.cols, m.rows)[1] {
		t.Fatal("a numeric column with a non-number in it counts as numeric")
	}
}
