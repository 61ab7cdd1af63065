package gateway

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/benchbare"
	"github.com/dbforge/dbforge/internal/engine"
)

const (
	benchRows    = 10000
	benchClients = 8 // goroutines per GOMAXPROCS
	benchSchema  = "CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score REAL, created TEXT)"
	benchFill    = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
		INSERT INTO bench SELECT i, 'user ' || i, 'user' || i || '@example.com', i * 1.5, '2024-01-01T00:00:00Z' FROM n`
	benchQuery = "SELECT * FROM bench WHERE id = ?"
)

// BenchmarkHTTPPointSelect compares the gateway (auth on, keep-alive, many
// concurrent clients) with the bare baseline on the same load: a point
// SELECT by primary key on a 10k-row table. Compare the req/s metrics.
//
//	go test ./internal/gateway -run '^$' -bench HTTPPointSelect -benchtime 5s
func BenchmarkHTTPPointSelect(b *testing.B) {
	b.Run("gateway", func(b *testing.B) {
		eng, err := engine.Open(engine.Config{DataDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		defer eng.Close()
		ctx := context.Background()
		if _, _, err := eng.Spawn(ctx, "bench", ""); err != nil {
			b.Fatal(err)
		}
		for _, s := range []string{benchSchema, benchFill} {
			if _, err := eng.Exec(ctx, "bench", engine.Query{SQL: s}); err != nil {
				b.Fatal(err)
			}
		}
		srv := httptest.NewServer(New(eng, Options{AdminKeyHash: auth.Hash(testKey)}))
		defer srv.Close()
		runLoad(b, srv.URL+"/api/db/bench/query", map[string]string{"X-API-Key": testKey})
	})
	b.Run("bare", func(b *testing.B) {
		db, err := benchbare.Open(filepath.Join(b.TempDir(), "bench.db"), 4)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for _, s := range []string{benchSchema, benchFill} {
			if _, err := db.Exec(s); err != nil {
				b.Fatal(err)
			}
		}
		srv := httptest.NewServer(benchbare.Handler(db))
		defer srv.Close()
		runLoad(b, srv.URL, nil)
	})
}

// runLoad posts point queries from many goroutines over one keep-alive
// transport and reports requests per second.
func runLoad(b *testing.B, url string, headers map[string]string) {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	b.SetParallelism(benchClients)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		var body []byte
		sink := make([]byte, 4096)
		for pb.Next() {
			body = append(body[:0], `{"sql":"`+benchQuery+`","params":[`...)
			body = strconv.AppendInt(body, int64(rng.IntN(benchRows)+1), 10)
			body = append(body, "]}"...)
			req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.ReadFull(resp.Body, sink)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Contains(sink[:n], []byte(`"rows_affected":1`)) {
				b.Errorf("status %d: %s", resp.StatusCode, sink[:n])
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
