package embedded

import (
	"context"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
)

// countingTransport records the method and path of every request it
// passes on.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen = append(c.seen, req.Method+" "+req.URL.Path)
	c.mu.Unlock()
	return c.next.RoundTrip(req)
}

func (c *countingTransport) count(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.seen {
		if s == route {
			n++
		}
	}
	return n
}

// dirModTime is the data directory's own mtime: creating or removing a
// file in it (the health check's probe file) moves it.
func dirModTime(t *testing.T, dir string) time.Time {
	t.Helper()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// A client built with ClientOptions knows the gateway is DB-Forge: its
// first calls (a query, the extension-only details route) send no GET
// /health probe, and the health check's probe file never touches the data
// directory. An explicit Health call still reaches the route, which is
// what the probe would have cost.
func TestClientOptionsSkipTheProbe(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(dir, Options{Version: "v-known"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	setup := client.New(BaseURL, b.ClientOptions()...)
	if _, err := setup.Spawn(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := setup.Query(ctx, "app", client.QueryRequest{SQL: "CREATE TABLE t(x)"}); err != nil {
		t.Fatal(err)
	}

	before := dirModTime(t, dir)
	time.Sleep(20 * time.Millisecond) // a coarse mtime clock would hide a change
	ct := &countingTransport{next: b.Transport()}
	c := client.New(BaseURL, append(b.ClientOptions(), client.WithTransport(ct))...)
	if _, err := c.Query(ctx, "app", client.QueryRequest{SQL: "SELECT count(*) FROM t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Database(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if n := ct.count("GET /health"); n != 0 {
		t.Errorf("GET /health sent %d times, want none: %v", n, ct.seen)
	}
	if ct.count("POST /api/db/app/query") != 1 {
		t.Errorf("the query did not go through the transport: %v", ct.seen)
	}
	if after := dirModTime(t, dir); !after.Equal(before) {
		t.Errorf("the data directory changed (%v -> %v): a health probe file was made", before, after)
	}
	caps, err := c.Capabilities(ctx)
	if err != nil || !caps.Extended || caps.Version != "v-known" {
		t.Errorf("Capabilities = %+v, %v; want the preset (extended, v-known)", caps, err)
	}

	// the check that would fail without the preset: a health call does
	// write the probe file
	if _, err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	if ct.count("GET /health") != 1 {
		t.Errorf("Health: want one GET /health, saw %v", ct.seen)
	}
	if after := dirModTime(t, dir); after.Equal(before) {
		t.Error("a health call left the data directory's mtime alone: this test cannot see a probe")
	}
}

// Embedded mode's audit log holds what the user did (spawn, statements),
// not the views the TUI polls every 2 s.
func TestEmbeddedAuditSkipsPolling(t *testing.T) {
	b, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	c := client.New(BaseURL, b.ClientOptions()...)
	if _, err := c.Spawn(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	for range 3 { // three poll rounds
		if _, err := c.Health(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GatewayStats(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DatabaseStats(ctx, "app"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListDatabases(ctx, false); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Audit(ctx, client.AuditQuery{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Query(ctx, "app", client.QueryRequest{SQL: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	// the writer is asynchronous and in order: wait for the last call
	deadline := time.Now().Add(5 * time.Second)
	for {
		log, err := c.Audit(ctx, client.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var routes []string
		for _, en := range log.Entries {
			routes = append(routes, en.Route)
		}
		if len(routes) > 0 && routes[0] == "POST /api/db/{db}/query" {
			want := []string{"POST /api/db/{db}/query", "POST /admin/databases/spawn/{db}"}
			if len(routes) != len(want) || routes[1] != want[1] {
				t.Errorf("audited routes (newest first) = %v, want %v", routes, want)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the statement never reached the audit log: %v", routes)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
