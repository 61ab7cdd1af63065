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
