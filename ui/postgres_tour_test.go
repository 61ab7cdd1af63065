package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/pgtest"
	"github.com/dbforge/dbforge/ui/internal/testgw"
	"github.com/dbforge/dbforge/views/action"
)

// TestTourOnPostgres walks the data tour on a PostgreSQL database of the
// real gateway (embedded, with a throwaway cluster), at both layouts:
// the schema's row counts are marked as estimates, jsonb cells show as
// JSON, a numeric column is charted, and a Seq Scan counts as a full scan.
func TestTourOnPostgres(t *testing.T) {
	c := testgw.StartPostgres(t, t.TempDir(), pgtest.Start(t).AdminDSN())
	ctx := context.Background()
	if _, err := c.SpawnWith(ctx, "shop", client.SpawnOptions{Backend: client.BackendPostgres}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SpawnWith(ctx, "lite", client.SpawnOptions{FromSQL: "CREATE TABLE kv (k TEXT PRIMARY KEY); INSERT INTO kv VALUES ('a'), ('b'), ('c')"}); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		l := startLiveOn(t, c, size[0], size[1], Options{}, "shop",
			"DROP TABLE IF EXISTS items",
			"CREATE TABLE items (id int8 PRIMARY KEY, name text NOT NULL, price numeric(8,2), tags jsonb)",
			"INSERT INTO items SELECT i, 'item ' || i, i * 1.25, jsonb_build_object('n', i) FROM generate_series(1, 12) AS i",
			"ANALYZE items")
		l.until("postgres listed", func() bool { return l.m.dbs.model().Backend("shop") == client.BackendPostgres })
		l.press(kp("alt+2"))
		if !strings.Contains(l.screen(), "~12") {
			t.Fatalf("%v: the schema's row estimate is not marked:\n%s", size, l.screen())
		}
		// over a switch to a SQLite database (exact counts) and back
		l.send(action.SelectDatabase{Name: "lite"})
		l.until("lite's schema", func() bool {
			s := l.m.tree.model().Schema()
			return s != nil && len(s.Tables) == 1 && s.Tables[0].Name == "kv"
		})
		l.press(kp("alt+2")) // choosing a database focuses the editor
		if s := l.screen(); strings.Contains(s, "~") || !strings.Contains(s, " 3") {
			t.Fatalf("%v: SQLite counts drawn as estimates:\n%s", size, s)
		}
		l.send(action.SelectDatabase{Name: "shop"})
		l.until("shop's schema again", func() bool { s := l.m.tree.model().Schema(); return s != nil && s.Tables[0].Name == "items" })
		l.press(kp("alt+2"))
		if !strings.Contains(l.screen(), "~12") {
			t.Fatalf("%v: after switching back, the estimate is not marked:\n%s", size, l.screen())
		}

		l.runInEditor("SELECT name, price, tags FROM items ORDER BY id", ctrl('r'))
		l.press(kp("alt+5"))
		l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "item 1") })
		if s := l.screen(); !strings.Contains(s, `{"n":1}`) || strings.Contains(s, "map[") {
			t.Fatalf("%v: jsonb cells:\n%s", size, s)
		}
		l.press(kp("]"))
		// the chart takes its rows from the grid's Shown message, one step after the grid
		l.until("the chart", func() bool { return strings.Contains(l.screen(), "■ price") })
		if l.m.results.activeName() != tabChart {
			t.Fatalf("%v: numeric column not charted:\n%s", size, l.screen())
		}

		l.runInEditor("SELECT * FROM items WHERE name = 'item 3'", kp("f7"))
		l.until("the plan", func() bool { return l.m.plan.model().FullScans() == 1 })
		l.press(kp("alt+5"))
		if s := l.screen(); !strings.Contains(s, "Seq Scan on items") || !strings.Contains(s, "cost=") {
			t.Fatalf("%v: plan:\n%s", size, s)
		}
	}
}
