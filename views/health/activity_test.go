package health

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/views/action"
)

var keyA = viewtest.Key("a")

// auditLog is a day of varied activity on demo, newest first, with the
// pane's own stats polls mixed in and a key name holding an escape
// sequence.
func auditLog(n int) *client.AuditLog {
	routes := []struct {
		route, kind string
		rows        int64
		status      int
		ms          float64
	}{
		{"POST /api/db/{db}/query", "read", 3, 200, 0.42},
		{"POST /api/db/{db}/query", "write", 1, 200, 2.5},
		{"POST /api/db/{db}/query", "ddl", 0, 200, 14},
		{"POST /api/db/{db}/query", "read", 0, 400, 0.1},
		{"GET /api/db/{db}/tables/{table}/rows", "read", 12_400, 200, 85},
		{"GET /admin/databases/{db}/stats", "admin", 0, 200, 0.3},
		{"POST /api/db/{db}/import/csv", "write", 1_250_000, 200, 4200},
		{"POST /api/db/{db}/query", "read", 0, 500, 30_000},
		{"DELETE /admin/databases/{db}", "admin", 0, 403, 0.2},
	}
	keys := []string{"analyst", "etl-nightly", "", "ops\x1b[31m"}
	log := &client.AuditLog{Written: int64(n), Dropped: 0}
	for i := range n {
		r := routes[i%len(routes)]
		log.Entries = append(log.Entries, client.AuditEntry{
			ID: int64(n - i), Time: t0.Add(-time.Duration(i*i*7) * time.Second),
			KeyName: keys[i%len(keys)], Route: r.route, Database: "demo",
			Kind: r.kind, Rows: r.rows, Status: r.status, DurationMs: r.ms,
		})
	}
	return log
}

func activityPane(w, h, n int) Model {
	m := connected(w, h, 10)
	m.Focus()
	m, _ = m.Update(keyA)
	m.SetNow(t0)
	m.SetActivity(auditLog(n), nil)
	return m
}

func TestActivityGoldens(t *testing.T) {
	cases := map[string]Model{
		"activity_78x20": activityPane(78, 20, 30),
		"activity_46x15": activityPane(46, 15, 30),
		"activity_empty_46x15": func() Model {
			m := activityPane(46, 15, 0)
			return m
		}(),
		"activity_unavailable_46x15": func() Model {
			m := activityPane(46, 15, 5)
			m.SetActivityUnavailable("this API key has no admin rights (403)")
			return m
		}(),
		"activity_unavailable_78x20": func() Model {
			m := activityPane(78, 20, 5)
			m.SetActivityUnavailable("this gateway keeps no audit log (MK1)")
			return m
		}(),
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, m.View()) })
	}
}

func TestActivityToggle(t *testing.T) {
	m := connected(46, 15, 10)
	m.Focus()
	m, cmd := m.Update(keyA)
	if cmd == nil || cmd() != (action.ActivityShown{Shown: true}) || !m.ShowingActivity() {
		t.Fatal("a did not switch to activity")
	}
	if m.Title() != "Activity · demo" || !strings.Contains(ansi.Strip(m.View()), "loading activity") {
		t.Fatalf("title %q, view:\n%s", m.Title(), ansi.Strip(m.View()))
	}
	m, cmd = m.Update(keyA)
	if cmd == nil || cmd() != (action.ActivityShown{Shown: false}) || m.ShowingActivity() || m.Title() != "Health · demo" {
		t.Fatal("a did not switch back")
	}
	m.Blur()
	if m, cmd = m.Update(keyA); cmd != nil || m.ShowingActivity() {
		t.Fatal("an unfocused pane took a key")
	}
}

func TestActivityScrolls(t *testing.T) {
	m := activityPane(46, 15, 30)
	first := func(m Model) string { return ansi.Strip(strings.Split(m.View(), "\n")[2]) }
	top := first(m)
	m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if first(m) == top {
		t.Fatal("j did not scroll")
	}
	for range 100 {
		m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if strings.TrimSpace(lines[len(lines)-1]) == "" {
		t.Fatalf("scrolled past the last event:\n%s", strings.Join(lines, "\n"))
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'k', Text: "k"})
	m, _ = m.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	if first(m) != top {
		t.Fatal("g did not go back to the newest event")
	}
}

func TestActivityContent(t *testing.T) {
	m := activityPane(78, 20, 9)
	raw := m.View()
	v := ansi.Strip(raw)
	if strings.Contains(raw, "\x1b[31m") && !strings.Contains(v, "ops␛[31m") {
		t.Fatal("escape sequence in a key name reached the terminal")
	}
	for _, want := range []string{"8 recent events", "POST /query", "etl-nightly", "open", "now", "1.2M", "4.2s", "30s", "500", "403", "DELETE /admin/db"} {
		if !strings.Contains(v, want) {
			t.Errorf("%q missing:\n%s", want, v)
		}
	}
	if strings.Contains(v, "/stats") {
		t.Errorf("the pane's own stats polls are listed:\n%s", v)
	}
	// a failed refresh keeps the list and says why
	m.SetActivity(nil, errors.New("timeout"))
	if v := ansi.Strip(m.View()); !strings.Contains(v, "✖ timeout") || !strings.Contains(v, "etl-nightly") {
		t.Fatalf("failed refresh:\n%s", v)
	}
	// another database starts empty
	m.SetDatabase("other")
	if v := ansi.Strip(m.View()); strings.Contains(v, "etl-nightly") || !m.ShowingActivity() {
		t.Fatalf("events of the previous database shown:\n%s", v)
	}
}

func TestActivitySizesFit(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {3, 2}, {12, 5}, {20, 6}, {30, 8}, {46, 15}, {78, 20}, {120, 40}} {
		m := activityPane(sz[0], sz[1], 30)
		if sz[1] > 0 {
			viewtest.CheckSize(t, m.View(), sz[0], sz[1])
		}
	}
}
