package chart

import (
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/results"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newChart(t *testing.T, w, h int, noColor bool) Model {
	t.Helper()
	th := theme.MustNew(theme.Dark, true, noColor)
	m := New(&th, keymap.Default().Chart)
	m.SetSize(w, h)
	m.Focus()
	return m
}

func cols(names ...string) []client.Column {
	out := make([]client.Column, len(names))
	for i, n := range names {
		out[i] = client.Column{Name: n}
	}
	return out
}

// sales is a time series: day, revenue, cost (id first, ignored by default).
func sales(n int) ([]client.Column, [][]any) {
	var rows [][]any
	for i := 0; i < n; i++ {
		rows = append(rows, []any{
			int64(i + 1), fmt.Sprintf("2024-03-%02d", i%31+1),
			math.Round(1000+800*math.Sin(float64(i)/6)) / 1, int64(600 + 15*i),
		})
	}
	return cols("id", "day", "revenue", "cost"), rows
}

func counts() ([]client.Column, [][]any) {
	return cols("city", "orders"), [][]any{
		{"London", int64(412)}, {"東京", int64(1290)}, {"Paris", int64(87)}, {"New York", int64(903)},
		{"Malmö", int64(5)}, {"Buenos Aires", nil}, {"Wilmslow", int64(240)},
	}
}

func press(m Model, keys ...tea.KeyPressMsg) Model {
	for _, k := range keys {
		m, _ = m.Update(k)
	}
	return m
}

func runeKey(r rune) tea.KeyPressMsg { return viewtest.Key(string(r)) }

var space = viewtest.Key("space")

func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	viewtest.CheckSize(t, view, w, h)
}

// golden checks the chart's size, then compares its title and plain view
// with testdata/name.golden.
func golden(t *testing.T, name string, m Model) {
	t.Helper()
	checkSize(t, m.View(), m.width, m.height)
	viewtest.Golden(t, *update, name, m.Title()+"\n"+ansi.Strip(m.View())+"\n")
}

func TestDefaultsFollowDataShape(t *testing.T) {
	m := newChart(t, 76, 19, false)
	m.SetData(counts())
	if m.Kind() != Bar || m.XColumn() != 0 || fmt.Sprint(m.Series()) != "[1]" {
		t.Fatalf("label/value result: kind %v x %d series %v", m.Kind(), m.XColumn(), m.Series())
	}
	m.SetData(sales(40))
	if m.Kind() != Line || m.XColumn() != 1 || fmt.Sprint(m.Series()) != "[2 3]" {
		t.Fatalf("series result: kind %v x %d series %v", m.Kind(), m.XColumn(), m.Series())
	}
}

// Line plot of two series (revenue, cost) over days, at the inner sizes of
// the 80×24 (76×19) and 120×40 (116×36) layouts, with and without colour.
func TestGoldenLineTwoSeries(t *testing.T) {
	for _, size := range [][2]int{{76, 19}, {116, 36}} {
		m := newChart(t, size[0], size[1], false)
		m.SetData(sales(60))
		golden(t, fmt.Sprintf("line_%dx%d", size[0], size[1]), m)
	}
	m := newChart(t, 76, 19, true)
	m.SetData(sales(60))
	golden(t, "line_nocolor_76x19", m)
	if v := m.View(); strings.Contains(v, "\x1b[3") && strings.Contains(v, "8;5;") {
		t.Fatal("colour under NO_COLOR")
	}
}

func TestGoldenBar(t *testing.T) {
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		m := newChart(t, size[0], size[1], false)
		m.SetData(counts())
		golden(t, fmt.Sprintf("bar_%dx%d", size[0], size[1]), m)
	}
	// Negative values grow left of the axis.
	m := newChart(t, 60, 8, false)
	m.SetData(cols("month", "profit"), [][]any{{"jan", int64(120)}, {"feb", int64(-80)}, {"mar", 3.5}, {"apr", int64(-200)}})
	golden(t, "bar_negative_60x8", m)
}

func TestNonNumericRefused(t *testing.T) {
	m := newChart(t, 76, 19, false)
	m.SetData(sales(10))
	m = press(m, runeKey('j'), space) // "day" is text
	if fmt.Sprint(m.Series()) != "[2 3]" {
		t.Fatalf("text column plotted: %v", m.Series())
	}
	if !strings.Contains(ansi.Strip(m.View()), `"day" is not numeric`) {
		t.Fatalf("no refusal shown:\n%s", ansi.Strip(m.View()))
	}
	golden(t, "refused_76x19", m)

	m.SetData(cols("name", "city"), [][]any{{"a", "b"}})
	golden(t, "no_numeric_76x19", m)
}

func TestPickKeys(t *testing.T) {
	m := newChart(t, 76, 19, false)
	m.SetData(sales(10))
	m = press(m, runeKey('j'), runeKey('j'), space) // unpick revenue
	if fmt.Sprint(m.Series()) != "[3]" {
		t.Fatalf("series %v", m.Series())
	}
	m = press(m, runeKey('c')) // pick it again, with c
	if fmt.Sprint(m.Series()) != "[3 2]" {
		t.Fatalf("series %v", m.Series())
	}
	m = press(m, runeKey('x')) // revenue becomes x: no longer a series
	if m.XColumn() != 2 || fmt.Sprint(m.Series()) != "[3]" {
		t.Fatalf("x %d series %v", m.XColumn(), m.Series())
	}
	m = press(m, runeKey('x'))
	if m.XColumn() != -1 {
		t.Fatal("x did not toggle back to row order")
	}
	m = press(m, runeKey('b'))
	if m.Kind() != Bar || !strings.HasPrefix(m.Title(), "Chart · bar · cost by row") {
		t.Fatalf("kind %v title %q", m.Kind(), m.Title())
	}
	m = press(m, runeKey('l'))
	if m.Kind() != Line {
		t.Fatal("l did not switch to line")
	}
	// Same columns again: the picks survive a refresh.
	m.SetData(sales(20))
	if fmt.Sprint(m.Series()) != "[3]" || m.Kind() != Line {
		t.Fatalf("picks lost on refresh: %v %v", m.Series(), m.Kind())
	}
}

// TestEdgeValues: no rows, one row, NaN/Inf, huge and negative numbers
// all draw something sensible at the exact size, and never panic.
func TestEdgeValues(t *testing.T) {
	cases := map[string][][]any{
		"none":     nil,
		"one":      {{int64(1), int64(42)}},
		"nan-inf":  {{int64(1), math.NaN()}, {int64(2), math.Inf(1)}, {int64(3), 5.0}, {int64(4), math.Inf(-1)}, {int64(5), nil}, {int64(6), 7.0}},
		"all-null": {{int64(1), nil}, {int64(2), nil}},
		"huge":     {{int64(1), math.MaxFloat64}, {int64(2), -math.MaxFloat64}, {int64(3), 0.0}},
		"flat":     {{int64(1), 1e300}, {int64(2), 1e300}},
		"tiny":     {{int64(1), 5e-324}, {int64(2), 0.0}},
		"negative": {{int64(1), int64(-5)}, {int64(2), int64(-50)}, {int64(3), int64(-7)}},
	}
	for name, rows := range cases {
		for _, kind := range []rune{'l', 'b'} {
			for _, size := range [][2]int{{0, 0}, {1, 1}, {5, 2}, {20, 4}, {40, 8}, {76, 19}} {
				m := newChart(t, size[0], size[1], false)
				m.SetData(cols("n", "v"), rows)
				m = press(m, runeKey(kind))
				checkSize(t, m.View(), size[0], size[1])
				_ = m.Title()
			}
		}
		_ = name
	}
	m := newChart(t, 76, 12, false)
	m.SetData(cols("n", "v"), cases["nan-inf"])
	if !strings.Contains(ansi.Strip(m.View()), "4 values not plotted") {
		t.Fatalf("skipped values not reported:\n%s", ansi.Strip(m.View()))
	}
	m.SetData(cols("n", "v"), cases["huge"])
	if v := ansi.Strip(m.View()); !strings.Contains(v, "1.798e+308") || !strings.Contains(v, "-1.798e+308") || !strings.Contains(v, "╭") {
		t.Fatalf("huge range axis:\n%s", v)
	}
	m.SetData(cols("n", "v"), nil)
	if !strings.Contains(ansi.Strip(m.View()), "no rows to chart.") {
		t.Fatal("empty result not explained")
	}
}

func TestGoldenTinyAndOneRow(t *testing.T) {
	m := newChart(t, 30, 6, false)
	m.SetData(sales(30))
	golden(t, "line_30x6", m)
	m = newChart(t, 40, 8, false)
	m.SetData(cols("id", "v"), [][]any{{int64(1), int64(42)}})
	golden(t, "line_one_row_40x8", m)
}

// The chart draws what the grid's results.Shown carries, and drops a late
// one that is older than what it drew.
func TestTakesRowsFromTheGridsShown(t *testing.T) {
	m := newChart(t, 76, 19, false)
	c, rows := counts()
	m, _ = m.Update(results.Shown{QueryID: 2, Seq: 5, Columns: c, Rows: rows})
	if m.Kind() != Bar || fmt.Sprint(m.Series()) != "[1]" {
		t.Fatalf("kind %v series %v", m.Kind(), m.Series())
	}
	m, _ = m.Update(results.Shown{QueryID: 2, Seq: 4})
	if fmt.Sprint(m.Series()) != "[1]" {
		t.Fatal("a late Shown replaced the rows drawn")
	}
	m, _ = m.Update(results.Shown{QueryID: 3, Seq: 1})
	if len(m.Series()) != 0 || !strings.Contains(ansi.Strip(m.View()), "No result to chart") {
		t.Fatalf("an empty Shown of the next query left %v:\n%s", m.Series(), ansi.Strip(m.View()))
	}
}
