package results

import (
	"math"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
)

// formatReal writes a REAL as the shortest text that reads back as the
// same float64 and still reads as a REAL: 1.0 stays "1.0", not "1";
// 16192.210000000001 keeps the digits that make it that float and no more.
// Fixed notation from 1e-5 to 1e16, exponent notation beyond. The grid,
// the cell viewer and copies share it, so a copied value is exact.
func formatReal(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case math.IsNaN(x):
		return "NaN"
	}
	var s string
	if a := math.Abs(x); a == 0 || (a >= 1e-5 && a < 1e16) {
		s = strconv.FormatFloat(x, 'f', -1, 64)
	} else {
		s = strconv.FormatFloat(x, 'g', -1, 64)
	}
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// groupDigits puts a comma between each group of three digits of a
// number's integer part ("-1234567.25" → "-1,234,567.25"); exponent forms
// and anything else are left as they are.
func groupDigits(s string) string {
	if strings.ContainsAny(s, "eEIN") {
		return s
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.Grow(len(s) + len(intPart)/3 + 1)
	b.WriteString(sign)
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// fractionWidth is the width of a number's decimal point and the digits
// after it (0 for integers and exponent forms, which are not aligned on a
// point).
func fractionWidth(s string) int {
	if strings.ContainsAny(s, "eE") {
		return 0
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i
	}
	return 0
}

// numberText is a number cell's text as shown: grouped when grouping is on.
func (m Model) numberText(s string) string {
	if m.group {
		return groupDigits(s)
	}
	return s
}

// fitNumbers grows each numeric column's fraction width (so decimal
// points line up) and its width to hold the widest integer part plus the
// widest fraction. Like widen, it only grows.
func (m *Model) fitNumbers(rows [][]any) {
	if len(m.fracs) != len(m.cols) {
		m.fracs = make([]int, len(m.cols))
		m.ints = make([]int, len(m.cols))
	} else {
		m.fracs, m.ints = append([]int(nil), m.fracs...), append([]int(nil), m.ints...)
	}
	m.widths = append([]int(nil), m.widths...)
	for _, r := range rows {
		for c := 0; c < len(m.cols) && c < len(r); c++ {
			s, k := display(r[c])
			if k != kindNumber {
				continue
			}
			s = m.numberText(s)
			f := fractionWidth(s)
			m.fracs[c] = max(m.fracs[c], f)
			m.ints[c] = max(m.ints[c], len(s)-f)
		}
	}
	for c := range m.widths {
		m.widths[c] = min(max(m.widths[c], m.ints[c]+m.fracs[c]), MaxColWidth)
	}
}

// alignedNumber pads a number cell on the right so its decimal point sits
// where the column's others do.
func (m Model) alignedNumber(s string, c int) string {
	if c >= len(m.fracs) || strings.ContainsAny(s, "eE") {
		return s
	}
	pad := m.fracs[c] - fractionWidth(s)
	if pad <= 0 {
		return s
	}
	return s + strings.Repeat(" ", pad)
}

// toggleGrouping turns digit grouping on or off and refits the columns to
// the rows on screen.
func (m *Model) toggleGrouping() tea.Cmd {
	m.group = !m.group
	var rows [][]any
	for r := m.top; r < m.top+m.bodyHeight(); r++ {
		if row, ok := m.rowAt(r); ok {
			rows = append(rows, row)
		}
	}
	m.fitNumbers(rows)
	m.clamp()
	text := "digit grouping off"
	if m.group {
		text = "digit grouping on"
	}
	return action.Emit(action.Status{Text: text})
}
