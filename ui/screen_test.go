package ui

import (
	"fmt"
	"testing"
)

func TestScreenGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, newFake(), w, h)
			run(m, m.Init())
			golden(t, fmt.Sprintf("screen_%dx%d", w, h), m.Render())
			press(m, kp("3"))
			golden(t, fmt.Sprintf("screen_%dx%d_health", w, h), m.Render())
		})
	}
}

// TestDataScreenGoldens draws the whole screen with a result, its chart and
// its plan at both sizes.
func TestDataScreenGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, newFake(), w, h)
			run(m, m.Init())
			press(m, kp("4"))
			typeText(m, "SELECT status, count(*) AS orders FROM orders GROUP BY status")
			press(m, ctrl('r'), kp("alt+5"))
			golden(t, fmt.Sprintf("results_%dx%d", w, h), m.Render())
			press(m, kp("]"))
			golden(t, fmt.Sprintf("chart_%dx%d", w, h), m.Render())
			press(m, kp("4"), kp("f7"), kp("alt+5"))
			golden(t, fmt.Sprintf("plan_%dx%d", w, h), m.Render())
		})
	}
}
