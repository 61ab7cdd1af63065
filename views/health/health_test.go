package health

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

var update = flag.Bool("update", false, "rewrite golden files")

var t0 = time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)

func stats(points int) *client.DatabaseStats {
	s := &client.DatabaseStats{
		Name: "demo", Status: "running", UptimeSeconds: 7380, OpenConnections: 3,
		QueriesTotal: 48213, ErrorsTotal: 12, SizeBytes: 1_234_567, WALBytes: 32_768,
		Latency: client.Latency{P50: 0.42, P95: 1.8, P99: 12.5},
	}
	for i := range points {
		s.Series = append(s.Series, client.Sample{
			T: t0.Add(time.Duration(i) * 5 * time.Second), QPS: float64(10 + (i*7)%11 + i/3), P95Ms: 1 + float64((i*3)%7)/3,
		})
	}
	return s
}

func pane(w, h int) Model {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, keymap.Default().Health)
	m.SetSize(w, h)
	m.SetDatabase("demo")
	return m
}

func connected(w, h, points int) Model {
	m := pane(w, h)
	m.SetGateway(Gateway{
		Health: &client.Health{Status: "healthy", Version: "1.0.0"},
		Stats:  &client.GatewayStats{UptimeSeconds: 86400 + 3600, TotalRequests: 1234567, TotalErrors: 3},
		RTT:    1500 * time.Microsecond,
	})
	m.SetStats(stats(points), nil)
	return m
}

func TestGoldens(t *testing.T) {
	cases := map[string]Model{
		"full_76x20":     connected(76, 20, 60),
		"left_46x15":     connected(46, 15, 60),
		"empty_46x15":    connected(46, 15, 0),
		"onepoint_46x15": connected(46, 15, 1),
		"disconnected_76x20": func() Model {
			m := connected(76, 20, 60)
			m.SetDisconnected(errors.New("dial tcp 127.0.0.1:8080: connect: connection refused"), 8*time.Second)
			return m
		}(),
		"mk1_46x15": func() Model {
			m := pane(46, 15)
			m.SetGateway(Gateway{Stats: &client.GatewayStats{UptimeSeconds: 60, TotalRequests: 10}, RTT: 2 * time.Millisecond})
			m.SetUnavailable("per-database stats are not offered by this gateway (MK1)")
			return m
		}(),
		"nodb_46x15": func() Model { m := connected(46, 15, 10); m.SetDatabase(""); return m }(),
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, m.View()) })
	}
}

func TestDisconnectedThenRecovered(t *testing.T) {
	m := connected(76, 20, 10)
	m.SetDisconnected(errors.New("refused"), 4*time.Second)
	v := ansi.Strip(m.View())
	if !m.Disconnected() || !strings.Contains(v, "disconnected — retrying in 4s") {
		t.Fatalf("disconnected state not shown:\n%s", v)
	}
	m.SetGateway(Gateway{Stats: &client.GatewayStats{}})
	if m.Disconnected() || strings.Contains(ansi.Strip(m.View()), "disconnected") {
		t.Fatal("recovery not shown")
	}
}

func TestSizesNeverPanicAndFit(t *testing.T) {
	for _, pts := range []int{0, 1, 2, 120} {
		for _, sz := range [][2]int{{0, 0}, {1, 1}, {3, 2}, {12, 5}, {20, 6}, {46, 15}, {120, 40}} {
			m := connected(sz[0], sz[1], pts)
			if sz[1] > 0 {
				t.Run(fmt.Sprintf("%dx%d/%d points", sz[0], sz[1], pts), func(t *testing.T) { viewtest.CheckSize(t, m.View(), sz[0], sz[1]) })
			}
		}
	}
}

func TestPlotSurvivesOddData(t *testing.T) {
	for _, data := range [][]float64{{math.NaN(), math.Inf(1)}, {0, 0, 0}, {-5, 5}, {1e12, 1}} {
		if lines := plot(data, 40, 5); len(lines) == 0 || len(lines) > 5 {
			t.Fatalf("%v: %d lines", data, len(lines))
		}
	}
	if plot(nil, 40, 5) != nil {
		t.Fatal("empty series drew a plot")
	}
}

func TestScrollKeys(t *testing.T) {
	m := connected(46, 4, 10)
	m.Focus()
	top := m.View()
	m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if m.View() == top {
		t.Fatal("j did not scroll")
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	if m.View() != top {
		t.Fatal("g did not go back to the top")
	}
}

func TestStatsOfOtherDatabaseDropped(t *testing.T) {
	m := connected(46, 15, 10)
	m.SetDatabase("other")
	if strings.Contains(ansi.Strip(m.View()), "48,213") {
		t.Fatal("figures of the previous database still shown")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	viewtest.Golden(t, *update, name, ansi.Strip(got))
}

func TestEmbeddedCountersSayThisProcessOnly(t *testing.T) {
	for _, local := range []bool{false, true} {
		m := pane(60, 20)
		m.SetLocalOnly(local)
		m.SetGateway(Gateway{RTT: time.Millisecond, Health: &client.Health{Status: "healthy"}, Stats: &client.GatewayStats{TotalRequests: 5}})
		m.SetDatabase("demo")
		m.SetStats(&client.DatabaseStats{Status: "running", QueriesTotal: 3}, nil)
		got := ansi.Strip(m.View())
		if n := strings.Count(got, "this process only"); (local && n != 2) || (!local && n != 0) {
			t.Fatalf("local=%v: %d mentions\n%s", local, n, got)
		}
	}
}
