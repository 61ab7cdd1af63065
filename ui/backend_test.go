package ui

import (
	"strings"
	"testing"

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
	st := l.status()
	if st != `spawn pg: Unsupported backend "postgres"; available: "sqlite".` {
		t.Fatalf("status %q", st)
	}
	if !strings.Contains(l.screen(), `Unsupported backend "postgres"`) {
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
	press(m, kp("k"), kp("enter"))
	if m.Current() != "demo" || m.editor.model().Dialect() != sqltext.SQLite {
		t.Fatalf("back on demo: current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
	// a database spawned on postgres is read as PostgreSQL once selected
	press(m, kp("n"))
	typeText(m, "pg2")
	press(m, kp("tab"), kp("enter"))
	if m.Current() != "pg2" || m.editor.model().Dialect() != sqltext.Postgres {
		t.Fatalf("new postgres database: current %q, dialect %v", m.Current(), m.editor.model().Dialect())
	}
}
