// Package testgw opens the real embedded backend (engine and gateway
// in-process) over a temporary data directory for the UI's end-to-end tests
// and benchmarks, with the real client on top — embedded mode exactly as
// `dbforge --data DIR` runs it.
package testgw

import (
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/engine"
)

// Start opens dir (health sampled every 200 ms so plots fill quickly) and
// returns a client for it; the backend is closed when tb ends.
func Start(tb testing.TB, dir string) *client.Client {
	tb.Helper()
	return open(tb, dir, "")
}

// StartPostgres is Start with the PostgreSQL backend on the server of
// adminDSN (in tests, a pgtest cluster's).
func StartPostgres(tb testing.TB, dir, adminDSN string) *client.Client {
	tb.Helper()
	return open(tb, dir, adminDSN)
}

func open(tb testing.TB, dir, postgres string) *client.Client {
	tb.Helper()
	b, err := embedded.Open(dir, embedded.Options{
		Version:  "test",
		Engine:   engine.Config{SampleInterval: 200 * time.Millisecond},
		Postgres: postgres,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = b.Close() })
	return client.New(embedded.BaseURL, b.ClientOptions()...)
}
