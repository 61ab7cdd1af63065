package editor

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// query200 is a 200-line script with the usual mix of keywords, strings,
// numbers and comments.
func query200() string {
	var sb strings.Builder
	for i := range 50 {
		fmt.Fprintf(&sb, "-- block %d: customers with recent orders\n", i)
		fmt.Fprintf(&sb, "SELECT c.id, c.name, count(o.id) AS n, sum(o.total) * 1.%d AS total\n", i)
		fmt.Fprintf(&sb, "  FROM customers c JOIN orders o ON o.customer_id = c.id /* join */\n")
		fmt.Fprintf(&sb, "  WHERE c.email LIKE '%%@example.%d' GROUP BY c.id ORDER BY total DESC LIMIT %d;\n", i, i+10)
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// BenchmarkKeystroke measures one typed character in the middle of a
// 200-line query: the edit, the re-highlight and the redraw of the frame.
// Target: under 5 ms per keystroke.
func BenchmarkKeystroke(b *testing.B) {
	m := newEditor(b, 76, 20, query200())
	m.cur = pos{100, 20}
	m.scrollToCursor()
	keys := []tea.KeyPressMsg{{Code: 'x', Text: "x"}, {Code: tea.KeyBackspace}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m, _ = m.Update(keys[i%2])
		_ = m.View()
	}
}

// BenchmarkView measures a redraw without an edit (cursor blink, resize).
func BenchmarkView(b *testing.B) {
	m := newEditor(b, 76, 20, query200())
	m.cur = pos{100, 20}
	m.scrollToCursor()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_ = m.View()
	}
}

// BenchmarkKeystrokeOpenComment types inside a 200-line script whose first
// line opens a block comment that never closes, so the whole script is one
// chunk that is re-lexed on every keystroke (the worst case of chunking).
func BenchmarkKeystrokeOpenComment(b *testing.B) {
	m := newEditor(b, 76, 20, "/* unterminated\n"+query200())
	m.cur = pos{100, 20}
	m.scrollToCursor()
	keys := []tea.KeyPressMsg{{Code: 'x', Text: "x"}, {Code: tea.KeyBackspace}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m, _ = m.Update(keys[i%2])
		_ = m.View()
	}
}
