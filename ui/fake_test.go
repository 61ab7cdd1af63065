package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dbforge/dbforge/client"
)

// fixedNow is the clock of every test, so relative times are stable.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// fakeAPI is an in-memory gateway for Update tests; errors and panics can be
// injected per call.
type fakeAPI struct {
	unimplemented // what a test does not fake answers ErrUnsupported
	mu            sync.Mutex
	dbs           []client.Database
	stats         map[string]*client.DatabaseStats
	down          bool  // every call fails as if the gateway were unreachable
	statsErr      error // DatabaseStats fails with this
	panicky       bool  // every call panics
	queries       []string
	statsN        int // DatabaseStats calls
	spawned       []client.SpawnOptions
}

var errDown = errors.New("dial tcp 127.0.0.1:8080: connect: connection refused")

func newFake() *fakeAPI {
	f := &fakeAPI{stats: map[string]*client.DatabaseStats{}}
	for i, n := range []string{"demo", "analytics", "scratch"} {
		f.dbs = append(f.dbs, client.Database{
			Name: n, ID: fmt.Sprintf("%012x", i+1), Status: "running",
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

func (f *fakeAPI) SpawnWith(ctx context.Context, name string, opts client.SpawnOptions) (*client.SpawnResult, error) {
	r, err := f.Spawn(ctx, name)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dbs[len(f.dbs)-1].Backend = opts.Backend
	f.spawned = append(f.spawned, opts)
	return r, nil
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
	f.statsN++
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
	upper := strings.ToUpper(strings.TrimSpace(req.SQL))
	switch {
	case strings.Contains(upper, "NOPE"): // SQLite's answer to an unknown column
		return nil, &client.APIError{Status: 400, Code: "SQL_ERROR", Message: "SQL Error: no such column: nope"}
	case strings.HasPrefix(upper, "SELECT COUNT(*) FROM ("):
		return &client.QueryResult{Columns: []client.Column{{Name: "COUNT(*)"}}, Rows: [][]any{{int64(len(fakeRows()))}}}, nil
	case strings.HasPrefix(upper, "SELECT"):
		all := fakeRows()
		rows := all[min(req.Offset, len(all)):]
		more := false
		if req.Limit > 0 && len(rows) > req.Limit {
			rows, more = rows[:req.Limit], true
		}
		return &client.QueryResult{Columns: fakeColumns(), Rows: rows, RowCount: len(rows), HasMore: more, ExecutionTimeMS: 1.25}, nil
	}
	return &client.QueryResult{Message: "Query executed successfully.", RowsAffected: 1}, nil
}

// fakeColumns and fakeRows answer every SELECT of the fake: a GROUP BY
// shaped result (a label and a count, so the chart draws bars).
func fakeColumns() []client.Column {
	return []client.Column{{Name: "status", Type: "TEXT"}, {Name: "orders", Type: ""}}
}

func fakeRows() [][]any {
	return [][]any{
		{"cancelled", int64(237)}, {"delivered", int64(619)}, {"paid", int64(222)},
		{"pending", int64(205)}, {"shipped", int64(217)}, {"refunded", nil},
	}
}

func (f *fakeAPI) Schema(context.Context, string, string) (*client.Schema, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &client.Schema{Tables: []client.TableSchema{{
		Name: "users", Type: "table", RowCount: 3,
		Columns: []client.ColumnSchema{{Name: "id", Type: "INTEGER", PrimaryKey: true}, {Name: "name", Type: "TEXT"}},
	}}}, nil
}

func (f *fakeAPI) Explain(_ context.Context, _ string, req client.QueryRequest) (*client.Plan, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return &client.Plan{Plan: []client.PlanNode{{ID: 2, Detail: "SCAN users"}}}, nil
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
