package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/demo"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/ui/internal/testgw"
	"github.com/dbforge/dbforge/views/action"
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

// BenchmarkScrollResult120x40 is one j press in the results grid and the
// full-screen redraw that follows, over a 100,000-row result from the
// in-process gateway (target: well under 16 ms).
func BenchmarkScrollResult120x40(b *testing.B) {
	api := testgw.Start(b, b.TempDir())
	ctx := context.Background()
	if _, err := api.Spawn(ctx, "big"); err != nil {
		b.Fatal(err)
	}
	if _, err := api.Query(ctx, "big", client.QueryRequest{SQL: `CREATE TABLE t AS WITH RECURSIVE s(i) AS
		(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000) SELECT i AS id, 'name ' || i AS name, i * 0.5 AS price FROM s`}); err != nil {
		b.Fatal(err)
	}
	m := New(api, Options{Theme: "dark", Database: "big", Refresh: time.Hour})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	// run the statement and apply every answer synchronously (no ticks here)
	queue := []tea.Cmd{func() tea.Msg { return action.RunQuery{SQL: "SELECT * FROM t"} }}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	if !strings.Contains(m.grid.model().Title(), "200+ rows") {
		b.Fatalf("result not shown: %s", m.grid.model().Title())
	}
	down := tea.KeyPressMsg{Code: 'j', Text: "j"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%150 == 149 {
			m.Update(tea.KeyPressMsg{Code: 'g', Text: "g"}) // stay inside the cached pages
		}
		m.Update(down)
		_ = m.View()
	}
}

// BenchmarkTypingFrame120x40 is one typed character in the editor and the
// whole frame after it, as the runtime does for bulk typing: root Update
// (key routing, the edit, the draft check) and a full-screen Render with
// every pane filled. Target: ≤ 1 ms per key.
func BenchmarkTypingFrame120x40(b *testing.B) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			m := New(newFake(), Options{Theme: "dark", Now: func() time.Time { return fixedNow }, Refresh: time.Hour})
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			run(m, m.Init())
			m.Update(kp("alt+4"))
			keys := viewtest.Typed("SELECT c.id, c.name FROM customers c WHERE c.email LIKE '%@example.org' ORDER BY 2;\n")
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				m.Update(keys[i%len(keys)])
				_ = m.Render()
				i++
			}
		})
	}
}
