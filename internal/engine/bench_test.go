package engine

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const benchRows = 10000

// benchEngine opens an engine with a benchRows-row table "t" in database "b".
func benchEngine(b *testing.B) *Engine {
	b.Helper()
	e, err := Open(Config{DataDir: b.TempDir(), SampleInterval: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	ctx := context.Background()
	if _, _, err := e.Spawn(ctx, "b", ""); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Exec(ctx, "b", Query{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL)"}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Exec(ctx, "b", Query{SQL: `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < ?)
		INSERT INTO t SELECT i, 'name-' || i, i * 1.5 FROM c`, Params: []any{benchRows}}); err != nil {
		b.Fatal(err)
	}
	return e
}

const pointSQL = "SELECT id, name, v FROM t WHERE id = ?"

func BenchmarkPointSelectEngine(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res, err := e.Exec(ctx, "b", Query{SQL: pointSQL, Params: []any{int64(i%benchRows + 1)}})
		if err != nil || len(res.Rows) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkSelectRowsByID is the MK1 rows route's engine path for the
// point query of BenchmarkPointSelectEngine: the statement is built from
// the table and the filter on every call.
func BenchmarkSelectRowsByID(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res, err := e.SelectRows(ctx, "b", "t", map[string]string{"id": strconv.Itoa(i%benchRows + 1)}, 0, 0)
		if err != nil || len(res.Rows) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPointSelectDatetime is BenchmarkPointSelectEngine on a table
// "td" that has a DATETIME column, whose text the driver would parse into
// time values; compare the two for the cost of reading it as stored.
func BenchmarkPointSelectDatetime(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	if _, err := e.Exec(ctx, "b", Query{SQL: "CREATE TABLE td(id INTEGER PRIMARY KEY, name TEXT, v REAL, created DATETIME)"}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.Exec(ctx, "b", Query{SQL: "INSERT INTO td SELECT id, name, v, '2024-01-01 00:00:00' FROM t"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res, err := e.Exec(ctx, "b", Query{SQL: "SELECT id, name, v, created FROM td WHERE id = ?", Params: []any{int64(i%benchRows + 1)}})
		if err != nil || len(res.Rows) != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkPointSelectEngineParallel(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)%benchRows + 1
			res, err := e.Exec(ctx, "b", Query{SQL: pointSQL, Params: []any{id}})
			if err != nil || len(res.Rows) != 1 {
				b.Error(err)
				return
			}
		}
	})
}

// plainDB opens the benchmark database through database/sql alone, the way
// a bare handler would: WAL, a pool of readers, rows scanned into []any.
func plainDB(b *testing.B, e *Engine) *sql.DB {
	db, err := sql.Open("sqlite", dsn(e.dbPath("b"), "_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)"))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(e.cfg.ReaderPool)
	db.SetMaxIdleConns(e.cfg.ReaderPool)
	b.Cleanup(func() { db.Close() })
	return db
}

func plainPoint(ctx context.Context, db *sql.DB, id int64) (int, error) {
	rows, err := db.QueryContext(ctx, pointSQL, id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, 3)
	ptrs := []any{&vals[0], &vals[1], &vals[2]}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

func BenchmarkPointSelectPlainSQL(b *testing.B) {
	db := plainDB(b, benchEngine(b))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if n, err := plainPoint(ctx, db, int64(i%benchRows+1)); err != nil || n != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkPointSelectPlainSQLParallel(b *testing.B) {
	db := plainDB(b, benchEngine(b))
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if got, err := plainPoint(ctx, db, n.Add(1)%benchRows+1); err != nil || got != 1 {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReadsWhileWriting measures point reads while one goroutine
// inserts as fast as it can; writes/s are reported alongside.
func BenchmarkReadsWhileWriting(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	stop := make(chan struct{})
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.Exec(ctx, "b", Query{SQL: "INSERT INTO t(name, v) VALUES (?, ?)", Params: []any{"w", 1.0}}); err != nil {
				b.Error(err)
				return
			}
			writes.Add(1)
		}
	}()
	var n atomic.Int64
	start := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := e.Exec(ctx, "b", Query{SQL: pointSQL, Params: []any{n.Add(1)%benchRows + 1}})
			if err != nil || len(res.Rows) != 1 {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(writes.Load())/time.Since(start).Seconds(), "writes/s")
}

func BenchmarkInsertEngine(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Exec(ctx, "b", Query{SQL: "INSERT INTO t(name, v) VALUES (?, ?)", Params: []any{"x", 2.5}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeepPage reads one page far into a 10k-row result.
func BenchmarkDeepPage(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := e.Exec(ctx, "b", Query{SQL: "SELECT * FROM t ORDER BY id", Limit: 100, Offset: 9800})
		if err != nil || len(res.Rows) != 100 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPointSelectPlainSQLTimeout is the plain baseline with a
// per-query timeout, as a handler using its request context would have.
func BenchmarkPointSelectPlainSQLTimeout(b *testing.B) {
	db := plainDB(b, benchEngine(b))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		n, err := plainPoint(ctx, db, int64(i%benchRows+1))
		cancel()
		if err != nil || n != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkPointSelectPlainSQLTimeoutParallel(b *testing.B) {
	db := plainDB(b, benchEngine(b))
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			got, err := plainPoint(ctx, db, n.Add(1)%benchRows+1)
			cancel()
			if err != nil || got != 1 {
				b.Error(err)
				return
			}
		}
	})
}
