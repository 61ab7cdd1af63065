package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/demo"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// BenchmarkView120x40 is a full-screen redraw at 120×40 with every pane
// filled (target: well under one 60 Hz frame, 16 ms).
func BenchmarkView120x40(b *testing.B) {
	m := New(newFake(), Options{Theme: "dark", Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	run(m, m.Init())
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFirstFrameEmbedded is the time from building the root model to
// its first frame with data: New, the window size, Init's list and health
// answers from the in-process gateway (demo data prepared once, outside the
// timer), and the first View. Target: well under 200 ms.
func BenchmarkFirstFrameEmbedded(b *testing.B) {
	api := testgw.Start(b, b.TempDir())
	if err := demo.Seed(context.Background(), api, demo.Name); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		m := New(api, Options{Theme: "dark"})
		_, sizeCmd := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		// Run the start-up commands concurrently, as the runtime does, and
		// apply their answers; what the answers ask for next (ticks) waits.
		answers := make(chan tea.Msg, 8)
		pending := 0
		launch := func(c tea.Cmd) {
			if c != nil {
				pending++
				go func() { answers <- c() }()
			}
		}
		launch(sizeCmd)
		launch(m.Init())
		for ; pending > 0; pending-- {
			switch msg := (<-answers).(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					launch(c)
				}
			case nil:
			default:
				m.Update(msg)
			}
		}
		if v := m.View(); !strings.Contains(v.Content, "demo") {
			b.Fatalf("first frame does not show the demo database:\n%s", v.Content)
		}
	}
}
