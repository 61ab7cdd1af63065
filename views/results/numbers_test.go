package results

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

func TestFormatReal(t *testing.T) {
	for in, want := range map[float64]string{
		1.0: "1.0", 0: "0.0", -0.5: "-0.5", 16192.210000000001: "16192.210000000001", 16192.21: "16192.21",
		1500000: "1500000.0", 0.1: "0.1", 1e-7: "1e-07", 1e21: "1e+21", 1e16: "1e+16", 123456789012345.6: "123456789012345.6",
		math.Inf(1): "Inf", math.Inf(-1): "-Inf",
	} {
		if got := formatReal(in); got != want {
			t.Errorf("formatReal(%v) = %q, want %q", in, got, want)
		}
	}
	// every value reads back as the same float64, and as a REAL
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		x := math.Float64frombits(r.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		s := formatReal(x)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != x || !strings.ContainsAny(s, ".e") {
			t.Fatalf("formatReal(%b) = %q reads back as %v, %v", x, s, back, err)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[string]string{
		"1": "1", "123": "123", "1234": "1,234", "-1234567.25": "-1,234,567.25", "123456": "123,456",
		"1500000.0": "1,500,000.0", "1e+21": "1e+21", "-Inf": "-Inf", "0.000123": "0.000123", "-100": "-100",
	} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func numbersResult() (*client.QueryResult, []client.Column) {
	cols := []client.Column{{Name: "n", Type: "INTEGER"}, {Name: "r", Type: "REAL"}, {Name: "label", Type: "TEXT"}}
	return &client.QueryResult{Columns: cols, Rows: [][]any{
		{int64(1234567), 1.0, "one"},
		{int64(-42), 16192.210000000001, "noise"},
		{int64(7), 1500000.25, "big"},
		{nil, 0.5, "null n"},
	}}, cols
}

// cellColumns returns, for each data line of the view, where each "."
// of column text sits.
func pointAt(line, text string) int {
	i := strings.Index(line, text)
	if i < 0 {
		return -1
	}
	return ansi.StringWidth(line[:i]) + strings.IndexByte(text, '.')
}

// TestNumbersShowAsRealsAligned: REAL 1.0 shows as 1.0, float noise no
// more than the float has, decimal points in one column; the grouping key
// adds thousands separators to the display only: a copy stays exact.
func TestNumbersShowAsRealsAligned(t *testing.T) {
	res, _ := numbersResult()
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select …", res)
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	texts := []string{"1.0", "16192.210000000001", "1500000.25", "0.5"}
	at := pointAt(lines[2], texts[0])
	for i, text := range texts {
		if p := pointAt(lines[2+i], text); p != at || at < 0 {
			t.Fatalf("point of %q at %d, want %d:\n%s", text, p, at, strings.Join(lines, "\n"))
		}
	}
	m, got := press(m, runeKey(','))
	if st := only[action.Status](got); len(st) != 1 || st[0].Text != "digit grouping on" {
		t.Fatalf("status %+v", st)
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"1,234,567", "16,192.210000000001", "1,500,000.25"} {
		if !strings.Contains(v, want) {
			t.Fatalf("grouped view lacks %q:\n%s", want, v)
		}
	}
	lines = strings.Split(v, "\n")
	if a, b := pointAt(lines[2], "1.0"), pointAt(lines[4], "1,500,000.25"); a != b {
		t.Fatalf("grouped points at %d and %d:\n%s", a, b, v)
	}
	m, got = press(m, keyRight, keyDown, keyDown, runeKey('y'))
	if c := only[action.Copy](got); len(c) != 1 || c[0].Text != "1500000.25" {
		t.Fatalf("copy %+v", c)
	}
	m, got = press(m, keyUp, keyUp, runeKey('y'))
	if c := only[action.Copy](got); len(c) != 1 || c[0].Text != "1.0" {
		t.Fatalf("copy of REAL 1.0: %+v", c)
	}
	m, _ = press(m, runeKey(','))
	if strings.Contains(ansi.Strip(m.View()), "1,234,567") {
		t.Fatal("grouping did not turn off")
	}
}

func TestGoldenNumbers(t *testing.T) {
	res, _ := numbersResult()
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetResult(1, "select …", res)
		m, _ = press(m, runeKey(','))
		v := m.View()
		checkSize(t, v, w, h)
		golden(t, fmt.Sprintf("numbers_grouped_%dx%d", w, h), ansi.Strip(v)+"\n")
	}
}
