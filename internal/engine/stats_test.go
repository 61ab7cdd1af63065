package engine

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestStatsCountersAndPercentiles(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "st")
	ctx := context.Background()
	exec(t, e, "st", "CREATE TABLE t(x)")
	exec(t, e, "st", "INSERT INTO t VALUES (1), (2), (3)")
	exec(t, e, "st", "SELECT * FROM t")
	e.Exec(ctx, "st", Query{SQL: "SELECT * FROM nope"})
	st, err := e.Stats(ctx, "st")
	if err != nil {
		t.Fatal(err)
	}
	if st.QueriesTotal != 4 || st.ErrorsTotal != 1 || st.RowsRead != 3 || st.RowsWritten != 3 {
		t.Errorf("counters = %+v", st)
	}
	if st.Status != StatusRunning || st.UptimeSeconds <= 0 || st.OpenConnections < 2 || st.SizeBytes == 0 {
		t.Errorf("stats = %+v", st)
	}
	if st.Latency.P50 <= 0 || st.Latency.P95 < st.Latency.P50 || st.Latency.P99 < st.Latency.P95 {
		t.Errorf("latency = %+v", st.Latency)
	}
}

func TestPercentileBuckets(t *testing.T) {
	s := newStats(4)
	for range 90 {
		s.record(100*time.Microsecond, &Result{}, nil)
	}
	for range 10 {
		s.record(50*time.Millisecond, &Result{}, nil)
	}
	l := s.latency()
	if l.P50 < 0.1 || l.P50 > 0.125 {
		t.Errorf("p50 = %v ms, want ≈0.1", l.P50)
	}
	if l.P95 < 50 || l.P95 > 60 || l.P99 < 50 || l.P99 > 60 {
		t.Errorf("p95/p99 = %v/%v ms, want ≈50", l.P95, l.P99)
	}
	if bucketOf(0) != 0 || bucketOf(time.Hour) != nBuckets-1 {
		t.Error("bucket bounds not clamped")
	}
}

func TestSampleRing(t *testing.T) {
	s := newStats(3)
	t0 := s.prevT
	for i := range 5 {
		for range (i + 1) * 10 {
			s.record(time.Millisecond, &Result{}, nil)
		}
		s.record(time.Millisecond, nil, fmt.Errorf("x"))
		s.sample(t0.Add(time.Duration(i+1) * time.Second))
	}
	series := s.series()
	if len(series) != 3 {
		t.Fatalf("series length %d, want 3", len(series))
	}
	for i, pt := range series {
		wantQPS := float64((i+3)*10 + 1)
		if pt.QPS != wantQPS || pt.Errors != 1 || pt.P95Ms <= 0 {
			t.Errorf("sample %d = %+v, want qps %v", i, pt, wantQPS)
		}
	}
	if !series[0].T.Before(series[2].T) {
		t.Error("series not oldest first")
	}
}

func TestBackgroundSamplerAndAccessFlush(t *testing.T) {
	e := openTest(t, func(c *Config) { c.SampleInterval = 10 * time.Millisecond; c.SampleCount = 5 })
	spawn(t, e, "bg")
	exec(t, e, "bg", "SELECT 1")
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := e.Stats(context.Background(), "bg")
		if len(st.Series) == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sampler produced %d samples", len(st.Series))
		}
		time.Sleep(10 * time.Millisecond)
	}
	before, _ := e.Get(context.Background(), "bg")
	time.Sleep(5 * time.Millisecond)
	exec(t, e, "bg", "SELECT 1")
	after, _ := e.Get(context.Background(), "bg")
	if !after.LastAccessed.After(before.LastAccessed) {
		t.Errorf("last_accessed did not move: %v → %v", before.LastAccessed, after.LastAccessed)
	}
	dir := e.cfg.DataDir
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	got, _ := e2.Get(context.Background(), "bg")
	if !got.LastAccessed.Equal(after.LastAccessed) {
		t.Errorf("persisted last_accessed = %v, want %v", got.LastAccessed, after.LastAccessed)
	}
}

func TestConcurrentUse(t *testing.T) {
	e := openTest(t, func(c *Config) { c.SampleInterval = 5 * time.Millisecond })
	ctx := context.Background()
	spawn(t, e, "cc")
	exec(t, e, "cc", "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if _, err := e.Exec(ctx, "cc", Query{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{w*1000 + i}}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, err := e.Exec(ctx, "cc", Query{SQL: "SELECT count(*), max(v) FROM t"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 10 {
			name := fmt.Sprintf("tmp%d", i)
			if _, _, err := e.Spawn(ctx, name, ""); err != nil {
				errs <- err
				return
			}
			e.Exec(ctx, name, Query{SQL: "SELECT 1"})
			if _, err := e.Prune(ctx, name); err != nil {
				errs <- err
				return
			}
			if err := e.Delete(ctx, name); err != nil {
				errs <- err
				return
			}
			e.List(ctx, true)
			e.Stats(ctx, "cc")
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := exec(t, e, "cc", "SELECT count(*) FROM t").Rows[0][0]; got != int64(200) {
		t.Fatalf("rows = %v, want 200", got)
	}
}

func TestPruneDuringQueries(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	spawn(t, e, "pd")
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				_, err := e.Exec(ctx, "pd", Query{SQL: "SELECT 1"})
				if err != nil && err != ErrStopped {
					t.Errorf("unexpected error while pruning: %v", err)
					return
				}
			}
		}()
	}
	for range 5 {
		if _, err := e.Prune(ctx, "pd"); err != nil {
			t.Fatal(err)
		}
		spawn(t, e, "pd")
	}
	wg.Wait()
}
