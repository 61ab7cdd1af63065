package editor

import "testing"

const demoSQL = `-- customers with their latest order
SELECT c.id, c.name, max(o.created_at) AS last_order
  FROM customers c
  JOIN orders o ON o.customer_id = c.id
 WHERE c.email LIKE '%@example.com'
 GROUP BY c.id
 ORDER BY last_order DESC
 LIMIT 20;

/* 日本語のコメント 😀 */
SELECT count(*) FROM orders WHERE total > 100.5;`

// Inner sizes of the editor in the two reference layouts: 80×24 shows one
// pane at a time (78×20), 120×40 puts the editor top right (70×13).
func TestGoldens(t *testing.T) {
	sizes := [][2]int{{78, 20}, {70, 13}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		name := func(s string) string { return s + "_" + itoa(w) + "x" + itoa(h) }

		m := newEditor(t, w, h, demoSQL)
		m.move(pos{4, 8}, false, false)
		m, _ = press(m, "shift+right", "shift+right", "shift+right", "shift+right", "shift+right")
		checkSize(t, m.View(), w, h)
		golden(t, name("script"), m.View())

		m = newEditor(t, w, h, "")
		checkSize(t, m.View(), w, h)
		golden(t, name("empty"), m.View())

		m = newEditor(t, w, h, "SELECT *\n  FROM ")
		m.SetSchema(sampleSchema())
		m, _ = press(m, "tab")
		checkSize(t, m.View(), w, h)
		golden(t, name("complete"), m.View())
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
