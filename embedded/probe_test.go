package embedded_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/embedded"
)

// syncBuffer is a bytes.Buffer safe for the gateway's concurrent logging.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The client of an embedded gateway knows it talks to DB-Forge: its calls,
// extension routes included, never probe GET /health (the gateway's request
// log shows every request it served).
func TestClientDoesNotProbe(t *testing.T) {
	var log syncBuffer
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
