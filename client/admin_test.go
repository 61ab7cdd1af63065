package client_test

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

func TestRootAndPing(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		m, err := c.Root(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if m.Message != "Praetorian DB-Forge is online." {
			t.Errorf("message %q", m.Message)
		}
		if err := c.Ping(ctxT(t)); err != nil {
			t.Errorf("ping: %v", err)
		}
	})
}

func TestSpawnPruneList(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		r, err := c.Spawn(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		if !r.Created || r.DBName != "shop" || r.ID == "" || r.Message != "Database instance spawned successfully." {
			t.Errorf("first spawn = %+v", r)
		}
		r, err = c.Spawn(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		if r.Created || r.Message != "Database instance already exists and is running." {
			t.Errorf("second spawn = %+v", r)
		}
		spawn(t, c, "other")

		list, err := c.ListDatabases(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Status != "running" || list[0].Backend != "sqlite" || list[0].CreatedAt.IsZero() {
			t.Errorf("list = %+v", list)
		}

		p, err := c.Prune(ctx, "other")
		if err != nil {
			t.Fatal(err)
		}
		if p.Message != "Database instance pruned successfully." || p.DBName != "other" {
			t.Errorf("prune = %+v", p)
		}
		if _, err := c.Prune(ctx, "other"); !client.IsNotFound(err) {
			t.Errorf("second prune: want 404, got %v", err)
		}

		running, err := c.ListDatabases(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		all, err := c.ListDatabases(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(running) != 1 || running[0].Name != "shop" || len(all) != 2 {
			t.Errorf("running = %+v, all = %+v", running, all)
		}

		disc, err := c.Discovery(ctx)
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[string]string{}
		for _, d := range disc {
			statuses[d.DBName] = d.Status
		}
		if statuses["shop"] != "running" || statuses["other"] != "stopped" {
			t.Errorf("discovery = %+v", disc)
		}
		if _, err := c.Query(ctx, "other", client.QueryRequest{SQL: "SELECT 1"}); !client.IsStopped(err) {
			t.Errorf("query on pruned db: want DATABASE_STOPPED, got %v", err)
		}
	})
}

func TestDetailsStatsDelete(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "d1")
		exec(t, c, "d1", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
		exec(t, c, "d1", "CREATE INDEX t_v ON t (v)")
		exec(t, c, "d1", "INSERT INTO t (v) VALUES ('a'), ('b')")

		d, err := c.Database(ctx, "d1")
		if err != nil {
			t.Fatal(err)
		}
		if d.Name != "d1" || len(d.Tables) != 1 || d.Tables[0].RowCount != 2 || len(d.Indexes) != 1 ||
			d.Indexes[0].Table != "t" || d.PageSize == 0 || d.JournalMode != "wal" {
			t.Errorf("details = %+v", d)
		}

		st, err := c.DatabaseStats(ctx, "d1")
		if err != nil {
			t.Fatal(err)
		}
		if st.Name != "d1" || st.Status != "running" || st.QueriesTotal < 3 {
			t.Errorf("stats = %+v", st)
		}

		if _, err := c.DeleteDatabase(ctx, "d1", false); err == nil || !strings.Contains(err.Error(), "force=true") {
			t.Errorf("delete without force: %v", err)
		}
		m, err := c.DeleteDatabase(ctx, "d1", true)
		if err != nil {
			t.Fatal(err)
		}
		if m.DBName != "d1" {
			t.Errorf("delete = %+v", m)
		}
		if _, err := c.Database(ctx, "d1"); !client.IsNotFound(err) {
			t.Errorf("details after delete: want 404, got %v", err)
		}
	})
}

func TestHealthMetricsGatewayStats(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "m1")
		exec(t, c, "m1", "SELECT 1")
		h, err := c.Health(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if h.Status != "healthy" || h.Version != "test" || h.Databases.Running != 1 || h.Checks["filesystem"] != "ok" {
			t.Errorf("health = %+v", h)
		}
		caps, err := c.Capabilities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !caps.Extended || caps.Version != "test" {
			t.Errorf("caps = %+v", caps)
		}
		text, err := c.Metrics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "# TYPE") {
			t.Errorf("metrics do not look like Prometheus text: %.200q", text)
		}
		gs, err := c.GatewayStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if gs.TotalRequests < 3 || gs.RequestsByEndpoint["POST /api/db/{db}/query"] != 1 {
			t.Errorf("gateway stats = %+v", gs)
		}
	})
}
