package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"testing"
	"time"
)

// benchCSVRows is the size of the CSV import benchmarks.
const benchCSVRows = 1_000_000

// writeBenchCSV writes an n-row, 5-column CSV file with a header and
// returns its path and size.
func writeBenchCSV(tb testing.TB, dir string, n int) (string, int64) {
	tb.Helper()
	path := filepath.Join(dir, "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,name,price,qty,note")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%d,name-%d,%d.%02d,%d,\"note, %d\"\n", i, i, i%1000, i%100, i%37, i)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return path, st.Size()
}

// BenchmarkImportCSV imports a 1,000,000-row CSV file through the engine
// and, for comparison, through the sqlite3 command-line shell's .import
// when it is installed (the sub-benchmark skips without it). The ratio of
// the two rows/s figures is the engine's speed relative to sqlite3.
func BenchmarkImportCSV(b *testing.B) {
	dir := b.TempDir()
	path, size := writeBenchCSV(b, dir, benchCSVRows)
	b.Run("engine", func(b *testing.B) {
		ctx := context.Background()
		b.SetBytes(size)
		var elapsed time.Duration
		for i := range b.N {
			b.StopTimer()
			e, err := Open(Config{DataDir: b.TempDir(), SampleInterval: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			db := fmt.Sprintf("b%d", i)
			if _, _, err := e.Spawn(ctx, db, ""); err != nil {
				b.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			res, err := e.ImportCSV(ctx, db, "t", f, CSVOptions{Header: true, Create: true})
			elapsed += time.Since(start)
			b.StopTimer()
			f.Close()
			if err != nil || res.Rows != benchCSVRows {
				b.Fatalf("import: %+v, %v", res, err)
			}
			e.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(benchCSVRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	})
	b.Run("sqlite3", func(b *testing.B) {
		bin, err := osexec.LookPath("sqlite3")
		if err != nil {
			b.Skip("sqlite3 shell not installed: nothing to compare with")
		}
		b.SetBytes(size)
		var elapsed time.Duration
		for i := range b.N {
			b.StopTimer()
			dbPath := filepath.Join(b.TempDir(), fmt.Sprintf("s%d.db", i))
			cmd := osexec.Command(bin, dbPath, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", ".import --csv "+path+" t")
			b.StartTimer()
			start := time.Now()
			out, err := cmd.CombinedOutput()
			elapsed += time.Since(start)
			if err != nil {
				b.Fatalf("sqlite3: %v: %s", err, out)
			}
		}
		b.ReportMetric(float64(benchCSVRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	})
}
