package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// TestSpawnRefusedBackendShowsGatewayError: on the real in-process gateway,
// which has no PostgreSQL server, choosing postgres in the new-database
// prompt ends in the gateway's refusal on the status bar, naming the
// backends it has; nothing is created and the prompt remembers the choice.
func TestSpawnRefusedBackendShowsGatewayError(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop")
	l.press(kp("alt+1"), kp("n"))
	l.until("the prompt", func() bool { return l.m.overlay == overlayDialog })
	l.typeText("pg")
	l.press(kp("tab"), kp("enter"))
	l.until("the refusal", func() bool { _, isErr := l.m.Status(); return isErr })
	// the gateway's own words, naming what it has, without the transport's prefix
	st := l.status()
	if !strings.HasPrefix(st, "spawn pg: ") || !strings.Contains(st, `"postgres"`) || !strings.Contains(st, `"sqlite"`) || strings.Contains(st, "400") {
		t.Fatalf("status %q", st)
	}
	if !strings.Contains(l.screen(), st[:min(len(st), 40)]) {
		t.Fatalf("refusal not on screen:\n%s", l.screen())
	}
	l.drain()
	for _, d := range l.m.dbs.model().Databases() {
		if d.Name == "pg" {
			t.Fatalf("refused database listed: %+v", d)
		}
	}
	if l.m.Current() != "shop" {
		t.Fatalf("current %q after a refused spawn", l.m.Current())
	}

	// sqlite, picked back, works on the same gateway
	l.press(kp("n"))
	l.until("the prompt", func() bool { return l.m.overlay == overlayDialog })
	if !strings.Contains(l.screen(), "● postgres") {
		t.Fatalf("the prompt forgot postgres:\n%s", l.screen())
	}
	l.press(kp("tab"))
	l.typeText("lite")
	l.press(kp("enter"))
	l.until("the new database", func() bool { return l.m.Current() == "lite" })
	l.until("lite listed as sqlite", func() bool { return l.m.dbs.model().Backend("lite") == client.BackendSQLite })
}

// TestEditorDialectFollowsTheBackend: the editor reads SQL by the rules of
// the current database's backend, switching as the selection does.
func TestEditorDialectFollowsTheBackend(t *testing.T) {
	f := newFake()
	f.dbs[1].Backend = client.BackendPostgres // analytics
	f.dbs[0].Backend = client.BackendSQLite
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	if m.Current() != "demo" || m.editor.model().Dialect() != sqltext.SQLite {
		t.Fatalf("current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
	press(m, kp("j"), kp("enter"))
	if m.Current() != "analytics" || m.editor.model().Dialect() != sqltext.Postgres {
		t.Fatalf("after selecting analytics: current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
	if m.focus != paneEditor {
		t.Fatalf("enter on a database left the focus on pane %v, want the editor", m.focus)
	}
	press(m, kp("alt+1"), kp("k"), kp("enter"))
	if m.Current() != "demo" || m.editor.model().Dialect() != sqltext.SQLite {
		t.Fatalf("back on demo: current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
	// a database spawned on postgres is read as PostgreSQL once selected
	press(m, kp("alt+1"), kp("n"))
	typeText(m, "pg2")
	press(m, kp("tab"), kp("enter"))
	if m.Current() != "pg2" || m.editor.model().Dialect() != sqltext.Postgres {
		t.Fatalf("new postgres database: current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
}

// TestHealthPaneShowsPostgresStats: the health pane over an API whose
// current database is PostgreSQL shows its connections, size and the
// transactions/s derived from two polls' transactions_total.
func TestHealthPaneShowsPostgresStats(t *testing.T) {
	f := newFake()
	f.dbs[0].Backend = client.BackendPostgres // demo
	pg := func(total int64, at time.Time) *client.DatabaseStats {
		s := sampleStats("demo")
		s.Backend, s.WALBytes, s.OpenConnections = client.BackendPostgres, 0, 7
		s.TransactionsTotal, s.SampledAt = total, at
		return s
	}
	f.stats["demo"] = pg(1000, fixedNow)
	m := newTestModel(t, f, 120, 40)
	run(m, m.Init())
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "demo running · postgres") || !strings.Contains(s, "conns 7 · tx/s –") {
		t.Fatalf("first poll:\n%s", s)
	}
	f.mu.Lock()
	f.stats["demo"] = pg(1060, fixedNow.Add(2*time.Second))
	f.mu.Unlock()
	run(m, m.onPollTick(pollTickMsg{seq: m.poll.seq}))
	s := ansi.Strip(m.Render())
	for _, want := range []string{"size 1.2 MiB · conns 7 · tx/s 30", "transactions/s · last 0s"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q missing after the second poll:\n%s", want, s)
		}
	}
	if strings.Contains(s, "wal ") {
		t.Errorf("a WAL size for a PostgreSQL database:\n%s", s)
	}
}
