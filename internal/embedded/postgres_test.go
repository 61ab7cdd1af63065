package embedded

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/pgtest"
)

// openClient opens dir with opts and returns a client over it; the backend
// is closed by the returned func (and at the end of the test).
func openClient(t *testing.T, dir string, opts Options) (*client.Client, func()) {
	t.Helper()
	b, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return client.New(BaseURL, b.ClientOptions()...), func() { b.Close() }
}

func dbNamed(t *testing.T, c *client.Client, name string) client.Database {
	t.Helper()
	dbs, err := c.ListDatabases(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("%s not listed: %+v", name, dbs)
	return client.Database{}
}

// TestEmbeddedPostgres: with a PostgreSQL DSN, embedded mode spawns
// postgres databases and opens the existing ones again as running, with
// their data; without it they are listed as stopped, and a call on one
// says which backend it needs, changing nothing; an unreachable server
// fails Open at once.
func TestEmbeddedPostgres(t *testing.T) {
	cl := pgtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	withPG := Options{Postgres: cl.AdminDSN()}

	c, closeB := openClient(t, dir, withPG)
	if r, err := c.SpawnWith(ctx, "shop", client.SpawnOptions{Backend: client.BackendPostgres}); err != nil || r.Backend != client.BackendPostgres {
		t.Fatalf("spawn: %+v %v", r, err)
	}
	for _, sql := range []string{"CREATE TABLE t (id int8 PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'kept')"} {
		if _, err := c.Query(ctx, "shop", client.QueryRequest{SQL: sql}); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := c.Spawn(ctx, "lite"); err != nil {
		t.Fatal(err)
	}
	closeB()

	// reopened with the DSN: running, data there
	c, closeB = openClient(t, dir, withPG)
	if d := dbNamed(t, c, "shop"); d.Status != "running" || d.Backend != client.BackendPostgres {
		t.Fatalf("reopened with postgres: %+v", d)
	}
	r, err := c.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT v FROM t WHERE id = $1", Params: []any{1}})
	if err != nil || len(r.Rows) != 1 || r.Rows[0][0] != "kept" {
		t.Fatalf("query after reopen: %+v %v", r, err)
	}
	closeB()

	// reopened without: stopped, and a call says what it needs
	c, closeB = openClient(t, dir, Options{})
	if d := dbNamed(t, c, "shop"); d.Status != "stopped" || d.Backend != client.BackendPostgres {
		t.Fatalf("reopened without postgres: %+v", d)
	}
	if d := dbNamed(t, c, "lite"); d.Status != "running" {
		t.Fatalf("sqlite database beside it: %+v", d)
	}
	// each call says the database needs PostgreSQL and how to give it
	needs := func(what string, err error) {
		t.Helper()
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.Status != 400 || !strings.Contains(ae.Message, `Unsupported backend "postgres"`) ||
			!strings.Contains(ae.Message, "stays stopped") || !strings.Contains(ae.Message, "DBFORGE_POSTGRES") {
			t.Fatalf("%s without postgres: %v", what, err)
		}
	}
	_, err = c.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT 1"})
	needs("query", err)
	_, err = c.Schema(ctx, "shop", "")
	needs("schema", err)
	_, err = c.Spawn(ctx, "shop")
	needs("spawn", err)
	if d := dbNamed(t, c, "shop"); d.Status != "stopped" {
		t.Fatalf("after refused calls: %+v", d)
	}
	closeB()

	// and with it again, still there; deleted, it is dropped on the server
	c, closeB = openClient(t, dir, withPG)
	if d := dbNamed(t, c, "shop"); d.Status != "running" {
		t.Fatalf("third open with postgres: %+v", d)
	}
	if _, err := c.DeleteDatabase(ctx, "shop", true); err != nil {
		t.Fatal(err)
	}
	closeB()

	if _, err := Open(t.TempDir(), Options{Postgres: "postgres://nobody:wrong@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2"}); err == nil || !strings.Contains(err.Error(), "postgres") {
		t.Fatalf("unreachable server: %v", err)
	}
}
