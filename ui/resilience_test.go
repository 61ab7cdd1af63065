package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

func TestDisconnectedBacksOffAndRecovers(t *testing.T) {
	f := newFake()
	m := New(f, Options{Theme: "dark", Refresh: 2 * time.Second, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	run(m, m.Init())
	f.down = true
	var delays []time.Duration
	for range 6 {
		run(m, m.restartPolling())
		delays = append(delays, m.poll.delay)
	}
	want := []time.Duration{2, 4, 8, 16, 30, 30}
	for i, d := range delays {
		if d != want[i]*time.Second {
			t.Fatalf("delays = %v, want %v s", delays, want)
		}
	}
	screen := ansi.Strip(m.Render())
	if !strings.Contains(screen, "disconnected — retrying in 30s") {
		t.Fatalf("disconnected state not drawn:\n%s", screen)
	}
	golden(t, "disconnected_120x40", m.Render())
	f.down = false
	// the pending tick fires by itself; no key press needed
	_, cmd := m.Update(pollTickMsg{seq: m.poll.seq})
	run(m, cmd)
	if strings.Contains(ansi.Strip(m.Render()), "disconnected") || m.poll.delay != 2*time.Second {
		t.Fatal("did not recover after the gateway came back")
	}
}

// TestLightPollWhileHealthHidden: off screen the health pane's figures are
// not asked for, but reachability is, for the status bar.
func TestLightPollWhileHealthHidden(t *testing.T) {
	f := newFake()
	m := newTestModel(t, f, 80, 24)
	run(m, m.Init())
	if !m.poll.armed || !m.poll.light || f.statsN != 0 {
		t.Fatalf("hidden health: armed %v light %v, %d stats calls", m.poll.armed, m.poll.light, f.statsN)
	}
	if !strings.Contains(ansi.Strip(m.Render()), "● connected") {
		t.Fatalf("status bar lacks the connection:\n%s", ansi.Strip(m.Render()))
	}
	_, cmd := m.Update(kp("3"))
	if cmd == nil || m.poll.light {
		t.Fatal("showing health did not poll its figures at once")
	}
	run(m, cmd)
	if f.statsN != 1 {
		t.Fatalf("%d stats calls after showing health", f.statsN)
	}
	m.Update(kp("1"))
	run(m, m.onPollTick(pollTickMsg{seq: m.poll.seq}))
	if !m.poll.light || f.statsN != 1 {
		t.Fatalf("after leaving health: light %v, %d stats calls", m.poll.light, f.statsN)
	}
}

// TestStatusBarShowsConnectionInEveryLayout: a dead gateway is visible in
// the narrow layout whatever pane is focused, and recovery too.
func TestStatusBarShowsConnectionInEveryLayout(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {100, 30}} {
		f := newFake()
		m := newTestModel(t, f, size[0], size[1])
		run(m, m.Init())
		f.down = true
		for _, pane := range []string{"1", "2", "4", "5"} {
			press(m, kp("esc"), kp(pane))
			run(m, m.onPollTick(pollTickMsg{seq: m.poll.seq}))
			bar := ansi.Strip(m.statusBar())
			if !strings.Contains(bar, "✖ disconnected — retrying in ") {
				t.Fatalf("%dx%d pane %s: status bar %q", size[0], size[1], pane, bar)
			}
		}
		f.down = false
		run(m, m.onPollTick(pollTickMsg{seq: m.poll.seq}))
		if bar := ansi.Strip(m.statusBar()); !strings.Contains(bar, "● connected") {
			t.Fatalf("%dx%d after recovery: %q", size[0], size[1], bar)
		}
	}
}

func TestMK1StatsUnavailable(t *testing.T) {
	f := newFake()
	f.statsErr = fmt.Errorf("stats: %w", errors.ErrUnsupported)
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	if s := ansi.Strip(m.health.view()); !strings.Contains(s, "not offered by this") {
		t.Fatalf("MK1 fallback not shown:\n%s", s)
	}
}

// TestNeverPanics feeds errors, panicking calls, garbage messages and tiny
// windows; the model must keep drawing.
func TestNeverPanics(t *testing.T) {
	f := newFake()
	f.panicky = true
	m := newTestModel(t, f, 20, 5)
	run(m, m.Init())
	msgs := []tea.Msg{
		listMsg{id: m.reqs[reqList], err: errors.New(`{"detail": malformed`)},
		listMsg{id: -1, list: []client.Database{{Name: "\x1b[2J"}}},
		pollMsg{seq: m.poll.seq, id: m.reqs[reqPoll], stats: &client.DatabaseStats{Series: []client.Sample{{QPS: -1}}}},
		opMsg{id: 12345, err: errors.New("500")},
		seedMsg{id: 0},
		"garbage", 42, nil, struct{}{},
		tea.WindowSizeMsg{Width: 0, Height: 0},
		tea.WindowSizeMsg{Width: 1, Height: 1},
		tea.WindowSizeMsg{Width: 20, Height: 5},
		tea.MouseClickMsg{X: -5, Y: 100},
		tea.PasteMsg{Content: "\x1b[31mpaste"},
	}
	keys := []string{"tab", "n", "x", "enter", "esc", "?", "esc", "/", "q", "esc", "p", "y", "D", "esc", "[", "]", "r", "3", "5", "alt+1", "s"}
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		run(m, cmd)
		_ = m.Render()
		_ = m.View()
	}
	for _, k := range keys {
		press(m, kp(k))
		_ = m.Render()
	}
	f.panicky = false
	f.down = true
	run(m, m.restartPolling())
	if s := m.Render(); strings.Contains(s, "\x1b[2J") {
		t.Fatal("escape sequence from data reached the screen")
	}
	if txt, _ := m.Status(); txt == "" {
		t.Fatal("no status after errors")
	}
}

// An error too long for the 80-column bar takes the room of the mode and
// the database name, so its end (what to do about it) is not cut.
func TestLongErrorTakesTheBarAt80Columns(t *testing.T) {
	f := newFake()
	m := newTestModel(t, f, 80, 24)
	run(m, m.Init())
	msg := `spawn shop: Unsupported backend "postgres"; available: "sqlite".`
	m.setStatus(msg, true)
	bar := ansi.Strip(m.statusBar())
	if !strings.Contains(bar, msg) || !strings.HasPrefix(bar, " ● connected │ ") || strings.Contains(bar, "…") {
		t.Fatalf("bar %q", bar)
	}
	m.setStatus("query done", false)
	if bar := ansi.Strip(m.statusBar()); !strings.HasPrefix(bar, " "+m.mode+" │ ") || strings.Count(bar, " │ ") < 3 {
		t.Fatalf("a short message hid the mode and the database: %q", bar)
	}
}
