package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dbforge/dbforge/client"
)

// fixedNow is the clock of every test, so relative times are stable.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// fakeAPI is an in-memory gateway for Update tests; errors and panics can be
// injected per call.
type fakeAPI struct {
	mu       sync.Mutex
	dbs      []client.Database
	stats    map[string]*client.DatabaseStats
	down     bool  // every call fails as if the gateway were unreachable
	statsErr error // DatabaseStats fails with this
	panicky  bool  // every call panics
	queries  []string
}

var errDown = errors.New("dial tcp 127.0.0.1:8080: connect: connection refused")

func newFake() *fakeAPI {
	f := &fakeAPI{stats: map[string]*client.DatabaseStats{}}
	for i, n := range []string{"demo", "analytics", "scratch"} {
		f.dbs = append(f.dbs, client.Database{
			Name: n, ContainerID: fmt.Sprintf("%012x", i+1), Status: "running",
			SizeBytes: int64(i+1) * 1_234_567, LastAccessed: fixedNow.Add(-time.Duration(i*37) * time.Minute),
		})
	}
	f.dbs = append(f.dbs, client.Database{Name: "old", Status: "stopped", SizeBytes: 4096, LastAccessed: fixedNow.Add(-72 * time.Hour)})
	return f
}

func (f *fakeAPI) fail() error {
	if f.panicky {
		panic("boom")
	}
	if f.down {
		return errDown
	}
	return nil
}

func (f *fakeAPI) ListDatabases(_ context.Context, all bool) ([]client.Database, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	var out []client.Database
	for _, d := range f.dbs {
		if all || d.Status == "running" {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeAPI) Spawn(_ context.Context, name string) (*client.SpawnResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	f.dbs = append(f.dbs, client.Database{Name: name, Status: "running", LastAccessed: fixedNow})
	return &client.SpawnResult{Message: "Database instance spawned successfully.", DBName: name, Created: true}, nil
}

func (f *fakeAPI) Prune(_ context.Context, name string) (*client.MessageResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	for i := range f.dbs {
		if f.dbs[i].Name == name {
			f.dbs[i].Status = "stopped"
			return &client.MessageResult{Message: "Database instance pruned successfully.", DBName: name}, nil
		}
	}
	return nil, errors.New("Database instance not found.")
}

func (f *fakeAPI) DeleteDatabase(_ context.Context, name string, _ bool) (*client.MessageResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	for i := range f.dbs {
		if f.dbs[i].Name == name {
			f.dbs = append(f.dbs[:i], f.dbs[i+1:]...)
			return &client.MessageResult{Message: "Database deleted.", DBName: name}, nil
		}
	}
	return nil, errors.New("Database not found.")
}

func (f *fakeAPI) DatabaseStats(_ context.Context, name string) (*client.DatabaseStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	if f.statsErr != nil {
		return nil, f.statsErr
	}
	if s, ok := f.stats[name]; ok {
		return s, nil
	}
	return sampleStats(name), nil
}

func (f *fakeAPI) GatewayStats(context.Context) (*client.GatewayStats, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &client.GatewayStats{UptimeSeconds: 8040, TotalRequests: 12345, TotalErrors: 7}, nil
}

func (f *fakeAPI) Health(context.Context) (*client.Health, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &client.Health{Status: "healthy", Version: "1.0.0", UptimeSeconds: 8040}, nil
}

func (f *fakeAPI) Query(_ context.Context, _ string, req client.QueryRequest) (*client.QueryResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(); err != nil {
		return nil, err
	}
	f.queries = append(f.queries, req.SQL)
	return &client.QueryResult{Message: "Query executed successfully.", RowsAffected: 1}, nil
}

// sampleStats is a deterministic stats answer with a wavy series.
func sampleStats(name string) *client.DatabaseStats {
	s := &client.DatabaseStats{
		Name: name, Status: "running", UptimeSeconds: 7380, OpenConnections: 2,
		QueriesTotal: 48213, ErrorsTotal: 12, SizeBytes: 1_234_567, WALBytes: 32_768,
		Latency: client.Latency{P50: 0.42, P95: 1.8, P99: 4.25},
	}
	for i := range 60 {
		s.Series = append(s.Series, client.Sample{
			T:     fixedNow.Add(time.Duration(i-60) * 5 * time.Second),
			QPS:   float64(20 + (i*7)%13 + i/4),
			P95Ms: 1 + float64((i*5)%9)/4,
		})
	}
	return s
}
