package embedded_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/embedded"
	"github.com/dbforge/dbforge/internal/testserve"
)

// The client of an embedded gateway knows it talks to DB-Forge: its calls,
// extension routes included, never probe GET /health (the gateway's request
// log shows every request it served).
func TestClientDoesNotProbe(t *testing.T) {
	var log testserve.SyncBuffer
	gw, err := embedded.Open(t.TempDir(), &embedded.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close()
	ctx := context.Background()
	c := gw.Client()
	if _, err := c.Spawn(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Query(ctx, "app", client.QueryRequest{SQL: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DatabaseStats(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	got := log.String()
	if !strings.Contains(got, `pattern="POST /api/db/{db}/query"`) {
		t.Fatalf("the request log does not show the query, so it cannot show a probe:\n%s", got)
	}
	if strings.Contains(got, `pattern="GET /health"`) {
		t.Errorf("the client probed GET /health:\n%s", got)
	}
}
