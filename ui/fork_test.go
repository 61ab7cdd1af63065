package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
)

// TestForkFromTheDatabasesPane: `f` on a database asks for a name; enter
// forks it through the real embedded gateway, the fork is selected and
// independent of its source.
func TestForkFromTheDatabasesPane(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.press(kp("1"))
	l.until("the list", func() bool { return strings.Contains(l.m.dbs.view(), "shop") })
	l.press(kp("f"))
	l.until("the fork prompt", func() bool { return strings.Contains(l.screen(), `Fork "shop"`) })
	l.typeText("shop_try")
	l.press(kp("enter"))
	l.until("the fork", func() bool { return l.m.Current() == "shop_try" })
	ctx := context.Background()
	if _, err := l.api.Client.Query(ctx, "shop_try", client.QueryRequest{SQL: "DELETE FROM people"}); err != nil {
		t.Fatal(err)
	}
	for db, want := range map[string]int64{"shop": 3, "shop_try": 0} {
		r, err := l.api.Client.Query(ctx, db, client.QueryRequest{SQL: "SELECT count(*) AS n FROM people"})
		if err != nil || len(r.Rows) != 1 || r.Rows[0][0] != want {
			t.Fatalf("%s after the fork: %v %v (want %d rows)", db, r, err, want)
		}
	}
}

// TestForkRefusedReadOnly: a read-only session never forks.
func TestForkRefusedReadOnly(t *testing.T) {
	l := startLive(t, 120, 40, Options{ReadOnly: true}, "shop", peopleSetup()...)
	l.press(kp("1"))
	l.until("the list", func() bool { return strings.Contains(l.m.dbs.view(), "shop") })
	if strings.Contains(l.status(), "read-only") {
		t.Fatalf("status says read-only before any key: %q", l.status())
	}
	l.press(kp("f"))
	l.until("the refusal", func() bool { return strings.Contains(l.status(), "read-only") })
	l.drain()
	if strings.Contains(l.screen(), `Fork "shop"`) || !strings.Contains(l.status(), "read-only") {
		t.Fatalf("read-only fork: status %q\n%s", l.status(), l.screen())
	}
}

// TestReadOnlyAPIRefusesWritesOfEveryKind: whatever a pane lets through,
// the read-only client refuses every change app lists itself, sending
// nothing (the session underneath would answer ErrUnsupported).
func TestReadOnlyAPIRefusesWritesOfEveryKind(t *testing.T) {
	api := readOnlyAPI{readSession: readSession{unimplemented{}}}
	ctx := context.Background()
	calls := map[string]func() error{
		"spawn":      func() error { _, err := api.Spawn(ctx, "a"); return err },
		"spawn with": func() error { _, err := api.SpawnWith(ctx, "a", client.SpawnOptions{}); return err },
		"prune":      func() error { _, err := api.Prune(ctx, "a"); return err },
		"delete":     func() error { _, err := api.DeleteDatabase(ctx, "a", true); return err },
		"fork":       func() error { _, err := api.Fork(ctx, "a", "b", ""); return err },
		"import csv": func() error {
			_, err := api.ImportCSV(ctx, "a", strings.NewReader("x\n1\n"), client.ImportCSVOptions{})
			return err
		},
		"import sql": func() error { _, err := api.ImportSQL(ctx, "a", strings.NewReader("DELETE FROM t")); return err },
		"restore":    func() error { _, err := api.Restore(ctx, "a", "b"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, app.ErrReadOnly) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// reads pass through to the session
	if _, err := api.ListDatabases(ctx, false); !errors.Is(err, client.ErrUnsupported) {
		t.Errorf("list: %v", err)
	}
}
