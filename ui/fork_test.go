package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
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
// the read-only client refuses forks, imports and restores itself.
func TestReadOnlyAPIRefusesWritesOfEveryKind(t *testing.T) {
	api := readOnlyAPI{API: unimplemented{}}
	ctx := context.Background()
	if _, err := api.Fork(ctx, "a", "b", ""); err != errReadOnly {
		t.Errorf("fork: %v", err)
	}
	if _, err := api.ImportCSV(ctx, "a", strings.NewReader("x\n1\n"), client.ImportCSVOptions{}); err != errReadOnly {
		t.Errorf("import csv: %v", err)
	}
	if _, err := api.ImportSQL(ctx, "a", strings.NewReader("DELETE FROM t")); err != errReadOnly {
		t.Errorf("import sql: %v", err)
	}
	if _, err := api.Restore(ctx, "a", "b"); err != errReadOnly {
		t.Errorf("restore: %v", err)
	}
}
