package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

// benchTransferRows is the size of the transfer benchmarks.
const benchTransferRows = 1_000_000

// benchServer is a gateway with no key and a body limit fit for big
// imports, on loopback.
func benchServer(b *testing.B) (*engine.Engine, *httptest.Server) {
	b.Helper()
	eng, err := engine.Open(engine.Config{DataDir: b.TempDir(), SampleInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close() })
	srv := httptest.NewServer(New(eng, Options{MaxBodyBytes: 1 << 30, MaxImportBytes: 1 << 30}))
	b.Cleanup(srv.Close)
	return eng, srv
}

// benchCSVFile writes an n-row, 5-column CSV with a header.
func benchCSVFile(b *testing.B, n int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,name,price,qty,note")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%d,name-%d,%d.%02d,%d,\"note, %d\"\n", i, i, i%1000, i%100, i%37, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return path, st.Size()
}

// BenchmarkImportCSVHTTP posts a 1,000,000-row CSV file to the import
// route over loopback (compare with BenchmarkImportCSV in the engine).
func BenchmarkImportCSVHTTP(b *testing.B) {
	eng, srv := benchServer(b)
	path, size := benchCSVFile(b, benchTransferRows)
	b.SetBytes(size)
	b.ResetTimer()
	var elapsed time.Duration
	for i := range b.N {
		b.StopTimer()
		db := fmt.Sprintf("b%d", i)
		if _, _, err := eng.Spawn(b.Context(), db, ""); err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequest("POST", srv.URL+"/api/db/"+db+"/import/csv?table=t", f)
		req.ContentLength = size
		b.StartTimer()
		start := time.Now()
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		elapsed += time.Since(start)
		b.StopTimer()
		f.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("import: %d %s", resp.StatusCode, body)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(benchTransferRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
}

// BenchmarkExportCSVHTTP downloads a 1,000,000-row table as CSV.
func BenchmarkExportCSVHTTP(b *testing.B) {
	eng, srv := benchServer(b)
	if _, _, err := eng.Spawn(b.Context(), "x", ""); err != nil {
		b.Fatal(err)
	}
	_, err := eng.ImportSQL(b.Context(), "x", `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, note TEXT);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000000)
		INSERT INTO t SELECT i, 'name-' || i, (i % 1000) + (i % 100) / 100.0, i % 37, 'note, ' || i FROM c;`)
	if err != nil {
		b.Fatal(err)
	}
	var out int64
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		resp, err := srv.Client().Get(srv.URL + "/api/db/x/export/csv?table=t")
		if err != nil {
			b.Fatal(err)
		}
		out, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("export: %d, %v", resp.StatusCode, err)
		}
	}
	b.SetBytes(out)
	b.ReportMetric(float64(benchTransferRows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}
