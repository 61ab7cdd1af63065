package client_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// TestSpawnWithBackend: a backend alone spawns as Spawn does (create, find,
// restart); a backend the gateway lacks is its 400 naming the available
// ones, and nothing is created.
func TestSpawnWithBackend(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		sqlite := client.SpawnOptions{Backend: client.BackendSQLite}
		r, err := c.SpawnWith(ctx, "lite", sqlite)
		if err != nil || !r.Created || r.Restarted || r.Message != client.MessageSpawned {
			t.Fatalf("first spawn = %+v, %v", r, err)
		}
		if r, err = c.SpawnWith(ctx, "lite", sqlite); err != nil || r.Created || r.Message != client.MessageAlreadyExists {
			t.Fatalf("spawn of a running database = %+v, %v", r, err)
		}
		if _, err := c.Prune(ctx, "lite"); err != nil {
			t.Fatal(err)
		}
		if r, err = c.SpawnWith(ctx, "lite", sqlite); err != nil || r.Created || !r.Restarted {
			t.Fatalf("spawn of a pruned database = %+v, %v", r, err)
		}

		_, err = c.SpawnWith(ctx, "pg", client.SpawnOptions{Backend: client.BackendPostgres})
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.Status != 400 || !strings.Contains(ae.Message, `"sqlite"`) || !strings.Contains(ae.Message, "postgres") {
			t.Fatalf("postgres on a gateway without it: %v", err)
		}
		_, err = c.SpawnWith(ctx, "pg2", client.SpawnOptions{Backend: client.BackendPostgres, Template: "kv"})
		if !errors.As(err, &ae) || ae.Status != 400 {
			t.Fatalf("postgres template on a gateway without it: %v", err)
		}
		list, err := c.ListDatabases(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != "lite" || list[0].Backend != client.BackendSQLite {
			t.Errorf("list after the refused spawns = %+v", list)
		}

		// a backend goes along with a template
		r, err = c.SpawnWith(ctx, "kv", client.SpawnOptions{Backend: client.BackendSQLite, Template: "kv"})
		if err != nil || !r.Created {
			t.Fatalf("template on sqlite = %+v, %v", r, err)
		}
	})
}

// TestMK1SpawnBackend: MK1 has SQLite only, so asking for it is a plain
// spawn there and any other backend is ErrUnsupported before a request.
func TestMK1SpawnBackend(t *testing.T) {
	c := newMK1Client(t)
	ctx := ctxT(t)
	r, err := c.SpawnWith(ctx, "s", client.SpawnOptions{Backend: client.BackendSQLite})
	if err != nil || !r.Created || r.Message != client.MessageSpawned {
		t.Fatalf("sqlite on MK1 = %+v, %v", r, err)
	}
	if _, err := c.SpawnWith(ctx, "p", client.SpawnOptions{Backend: client.BackendPostgres}); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("postgres on MK1: want ErrUnsupported, got %v", err)
	}
	list, err := c.ListDatabases(ctx, true)
	if err != nil || len(list) != 1 || list[0].Name != "s" {
		t.Errorf("list = %+v, %v", list, err)
	}
}
