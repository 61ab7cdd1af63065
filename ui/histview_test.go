package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/history"
)

func TestHistoryViewFiltersAndFillsTheEditor(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("alt+4"))
	for _, sql := range []string{"SELECT * FROM orders", "SELECT count(*) FROM customers", "SELECT status FROM orders WHERE id = 1"} {
		m.editor.model().SetText(sql)
		press(m, ctrl('r'))
	}
	if len(m.hist) != 3 || m.hist[2].At.IsZero() {
		t.Fatalf("history entries: %+v", m.hist)
	}
	m.editor.model().SetText("draft")
	press(m, kp("alt+r"))
	if m.overlay != overlayHistory || !strings.Contains(m.Render(), "History · demo · 3 of 3") {
		t.Fatalf("history view not open:\n%s", m.Render())
	}
	typeText(m, "orders q1") // q and 1 filter here, they do not quit or switch panes
	if m.overlay != overlayHistory || m.histView.Shown() != 0 {
		t.Fatalf("filter %q shows %d", m.histView.Filter(), m.histView.Shown())
	}
	press(m, kp("backspace"), kp("backspace"), kp("backspace"))
	if m.histView.Filter() != "orders" || m.histView.Shown() != 2 {
		t.Fatalf("filter %q shows %d", m.histView.Filter(), m.histView.Shown())
	}
	press(m, kp("down"), kp("enter")) // newest first: the second match is the oldest
	if m.overlay != overlayNone || m.EditorText() != "SELECT * FROM orders" || m.Focused() != "Editor" {
		t.Fatalf("after enter: overlay %v, editor %q, focus %s", m.overlay, m.EditorText(), m.Focused())
	}
	press(m, ctrl('z'))
	if m.EditorText() != "draft" {
		t.Fatalf("undo after picking from the history: %q", m.EditorText())
	}
	press(m, kp("alt+r"), kp("esc"))
	if m.overlay != overlayNone || m.EditorText() != "draft" {
		t.Fatal("esc did not close the history view untouched")
	}
}

func TestHistoryViewGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, newFake(), w, h)
			run(m, m.Init())
			press(m, kp("alt+4"))
			var list []history.Entry
			for i, sql := range []string{
				"SELECT * FROM customers", "SELECT status, count(*) AS n\nFROM orders\nGROUP BY status",
				"UPDATE orders SET status = 'shipped' WHERE id = 7", "SELECT '\x1b[31mroses\x1b[0m'",
			} {
				list = append(list, history.Entry{SQL: sql, At: fixedNow.Add(-time.Duration(3-i) * 90 * time.Minute), MS: float64(i*i)*37.5 + 0.4})
			}
			list[0].At = fixedNow.AddDate(0, 0, -3)
			m.setHistory(list)
			press(m, kp("alt+r"))
			typeText(m, "o")
			golden(t, fmt.Sprintf("history_%dx%d", w, h), m.Render())
		})
	}
}

// TestEditorTabsAndErrorGoldens: a second tab named in the title, and an
// SQL error pointing at its token.
func TestEditorTabsAndErrorGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, newFake(), w, h)
			run(m, m.Init())
			press(m, kp("alt+4"))
			typeText(m, "SELECT 1;")
			press(m, ctrl('t'))
			typeText(m, "SELECT id,\n       nope\nFROM orders")
			press(m, ctrl('r'))
			golden(t, fmt.Sprintf("tabs_error_%dx%d", w, h), m.Render())
		})
	}
}
