package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// TestActivityShowsRecentQueries runs queries against the real embedded
// backend and shows them in the health pane's activity view.
func TestActivityShowsRecentQueries(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT id FROM people", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.m.grid.model().Title(), "3 rows") })
	// the gateway writes its audit log in the background: wait until the
	// queries are in before asking through the UI
	ctx := context.Background()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		log, err := l.api.Client.Audit(ctx, client.AuditQuery{Database: "shop"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range log.Entries {
			if e.Route == "POST /api/db/{db}/query" {
				n++
			}
		}
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audit log holds %d queries", n)
		}
	}
	l.press(kp("alt+3"), kp("a"))
	hp := l.m.health.model()
	l.until("the activity", func() bool { return strings.Contains(ansi.Strip(hp.View()), "POST /query") })
	screen := l.screen()
	for _, want := range []string{"Activity · shop", "recent events", "POST /query", "read", "write", "ddl", "200", "open"} {
		if !strings.Contains(screen, want) {
			t.Errorf("%q missing:\n%s", want, screen)
		}
	}
	if !strings.Contains(screen, "activity ⇄ health") {
		t.Errorf("the status bar does not offer the toggle:\n%s", screen)
	}
	// back to the graphs: the stats are polled again
	l.press(kp("a"))
	l.until("the health read-out", func() bool { return strings.Contains(ansi.Strip(hp.View()), "p95") })
}

// auditFake is the fake gateway with an audit log that refuses this key.
type auditFake struct {
	*fakeAPI
	mu    sync.Mutex
	calls map[string]int
	err   error
}

func (f *auditFake) Audit(_ context.Context, q client.AuditQuery) (*client.AuditLog, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[q.Database]++
	if f.err != nil {
		return nil, f.err
	}
	return &client.AuditLog{Entries: []client.AuditEntry{{Time: fixedNow.Add(-5 * time.Second), KeyName: "ci",
		Route: "POST /api/db/{db}/query", Database: q.Database, Kind: "read", Rows: 1, Status: 200, DurationMs: 1}}}, nil
}

func (f *auditFake) count(db string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[db]
}

func TestActivityUnavailableStopsAsking(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"forbidden", &client.APIError{Status: 403, Code: client.CodeForbidden, Message: "admin role required"}, "no admin rights (403)"},
		{"mk1", fmt.Errorf("audit log: %w (MK1 gateway)", client.ErrUnsupported), "keeps no audit log (MK1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &auditFake{fakeAPI: newFake(), calls: map[string]int{}, err: tc.err}
			m := newTestModel(t, api, 120, 40)
			run(m, m.Init())
			press(m, kp("3"), kp("a"))
			view := ansi.Strip(m.health.model().View())
			if !strings.Contains(view, "activity log is unavailable") || !strings.Contains(view, tc.want) {
				t.Fatalf("view:\n%s", view)
			}
			for range 3 {
				press(m, kp("r"))
			}
			if n := api.count("demo"); n != 1 {
				t.Fatalf("asked %d times after the refusal", n)
			}
			if s, isErr := m.Status(); isErr {
				t.Fatalf("error in the status bar: %s", s)
			}
			// another database may allow it: asked again
			api.err = nil
			_, cmd := m.Update(action.SelectDatabase{Name: "analytics"})
			run(m, cmd)
			if api.count("analytics") != 1 || !strings.Contains(ansi.Strip(m.health.model().View()), "1 recent event") {
				t.Fatalf("not asked for the new database:\n%s", ansi.Strip(m.health.model().View()))
			}
		})
	}
}

func TestActivityWithoutAuditAPI(t *testing.T) {
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("3"), kp("a"))
	if v := ansi.Strip(m.health.model().View()); !strings.Contains(v, "no audit log") {
		t.Fatalf("view:\n%s", v)
	}
}

func TestActivityPolledOnlyWhileShown(t *testing.T) {
	api := &auditFake{fakeAPI: newFake(), calls: map[string]int{}}
	m := newTestModel(t, api, 120, 40)
	run(m, m.Init())
	press(m, kp("3"), kp("r"))
	if n := api.count("demo"); n != 0 {
		t.Fatalf("audit asked %d times while the graphs are shown", n)
	}
	press(m, kp("a"))
	if n := api.count("demo"); n != 1 {
		t.Fatalf("toggling asked %d times", n)
	}
	press(m, kp("a"), kp("r"))
	if n := api.count("demo"); n != 1 {
		t.Fatalf("audit asked after switching back: %d", n)
	}
}
