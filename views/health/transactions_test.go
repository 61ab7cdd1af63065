package health

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

func TestTransactionsRate(t *testing.T) {
	var x transactions
	x.add(100, t0)
	if len(x.rates()) != 0 {
		t.Fatalf("a rate from one sample: %v", x.rates())
	}
	x.add(110, t0.Add(2*time.Second))
	x.add(110, t0.Add(2*time.Second)) // the same answer again
	x.add(999, t0.Add(time.Second))   // older than the last: ignored
	x.add(140, t0.Add(4*time.Second))
	if got := x.rates(); !reflect.DeepEqual(got, []float64{5, 15}) {
		t.Fatalf("rates %v, want [5 15]", got)
	}
	if x.span() != 2*time.Second {
		t.Fatalf("span %v", x.span())
	}
	x.add(3, t0.Add(6*time.Second)) // counter reset: start over, no negative rate
	if len(x.rates()) != 0 {
		t.Fatalf("after a reset: %v", x.rates())
	}
	x.add(13, t0.Add(11*time.Second))
	if got := x.rates(); !reflect.DeepEqual(got, []float64{2}) {
		t.Fatalf("after a reset and a sample: %v", got)
	}
	for i := range 2 * txnKeep {
		x.add(int64(20+i), t0.Add(time.Duration(12+i)*time.Second))
	}
	if len(x.rates()) != txnKeep {
		t.Fatalf("kept %d points, want %d", len(x.rates()), txnKeep)
	}
}

// pgConnected is a pane showing a PostgreSQL database after polls whose
// transaction counters rose by 25, 50, … per 2 s sample.
func pgConnected(w, h, polls int) Model {
	m := pane(w, h)
	m.SetGateway(Gateway{
		Health: &client.Health{Status: "healthy", Version: "1.0.0"},
		Stats:  &client.GatewayStats{UptimeSeconds: 3600, TotalRequests: 4200, TotalErrors: 1},
		RTT:    1500 * time.Microsecond,
	})
	total := int64(1000)
	for i := range polls {
		s := stats(60)
		s.Backend = client.BackendPostgres
		s.WALBytes = 0
		s.SizeBytes = 8_123_456
		total += int64(25 * (1 + i%4))
		s.TransactionsTotal = total
		s.SampledAt = t0.Add(time.Duration(2*i) * time.Second)
		m.SetStats(s, nil)
	}
	return m
}

func TestPostgresGoldens(t *testing.T) {
	cases := map[string]Model{
		"pg_76x30":         pgConnected(76, 30, 40),
		"pg_46x15":         pgConnected(46, 15, 40),
		"pg_onepoll_76x30": pgConnected(76, 30, 1),
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) { golden(t, name, m.View()) })
	}
}

// TestPostgresReadout: connections, transactions/s and size of a
// PostgreSQL database, its transactions/s plot between queries/s and p95,
// and no per-database WAL (the server's is shared). SQLite keeps its WAL.
func TestPostgresReadout(t *testing.T) {
	v := ansi.Strip(pgConnected(76, 30, 40).View())
	for _, want := range []string{"demo running · postgres · up", "size 7.7 MiB · conns 3 · tx/s 50", "transactions/s · last 1m16s"} {
		if !strings.Contains(v, want) {
			t.Errorf("%q missing:\n%s", want, v)
		}
	}
	if strings.Contains(v, "wal") {
		t.Errorf("PostgreSQL read-out shows a WAL size:\n%s", v)
	}
	q, tx, p := strings.Index(v, "queries/s ·"), strings.Index(v, "transactions/s ·"), strings.Index(v, "p95 ms ·")
	if !(q >= 0 && q < tx && tx < p) {
		t.Errorf("plots out of order (queries %d, transactions %d, p95 %d):\n%s", q, tx, p, v)
	}
	if v := ansi.Strip(pgConnected(76, 30, 1).View()); !strings.Contains(v, "tx/s –") || !strings.Contains(v, "transactions/s · waiting for a second sample") {
		t.Errorf("first poll:\n%s", v)
	}
	if v := ansi.Strip(connected(76, 20, 60).View()); !strings.Contains(v, "wal 32.0 KiB") || strings.Contains(v, "transactions/s") || strings.Contains(v, "postgres") {
		t.Errorf("SQLite read-out changed:\n%s", v)
	}

	// another database starts its rate over
	m := pgConnected(76, 30, 40)
	m.SetDatabase("other")
	s := stats(60)
	s.Backend, s.TransactionsTotal, s.SampledAt = client.BackendPostgres, 5, t0.Add(time.Hour)
	m.SetStats(s, nil)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "tx/s –") {
		t.Errorf("the rate of the previous database carried over:\n%s", v)
	}
}
