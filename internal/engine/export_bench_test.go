package engine

import (
	"context"
	"io"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchExportRows is the table size of the export benchmarks.
const benchExportRows = 1_000_000

// exportBenchEngine opens an engine with a benchExportRows-row, 5-column
// table "t" in database "x".
func exportBenchEngine(b *testing.B) *Engine {
	b.Helper()
	e, err := Open(Config{DataDir: b.TempDir(), SampleInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	ctx := context.Background()
	if _, _, err := e.Spawn(ctx, "x", ""); err != nil {
		b.Fatal(err)
	}
	_, err = e.ImportSQL(ctx, "x", `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, note TEXT);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000000)
		INSERT INTO t SELECT i, 'name-' || i, (i % 1000) + (i % 100) / 100.0, i % 37, 'note, ' || i FROM c;`)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// countingWriter counts what an export writes and drops it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// heapWatch samples HeapInuse while an export runs and keeps the maximum.
type heapWatch struct {
	max  atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func watchHeap() *heapWatch {
	h := &heapWatch{stop: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > h.max.Load() {
				h.max.Store(ms.HeapInuse)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapWatch) done() uint64 {
	close(h.stop)
	h.wg.Wait()
	return h.max.Load()
}

// BenchmarkExport streams a 1,000,000-row table in each format and reports
// rows/s, MB/s, the output size and the largest HeapInuse seen while
// streaming: it stays flat, far below the output size.
func BenchmarkExport(b *testing.B) {
	e := exportBenchEngine(b)
	ctx := context.Background()
	formats := []struct {
		name string
		run  func(w io.Writer) (int64, error)
	}{
		{"csv", func(w io.Writer) (int64, error) { return e.ExportCSV(ctx, "x", "t", w) }},
		{"json", func(w io.Writer) (int64, error) { return e.ExportJSON(ctx, "x", "t", false, w) }},
		{"ndjson", func(w io.Writer) (int64, error) { return e.ExportJSON(ctx, "x", "t", true, w) }},
		{"sql", func(w io.Writer) (int64, error) { return e.DumpSQL(ctx, "x", w) }},
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			h := watchHeap()
			var out int64
			start := time.Now()
			for range b.N {
				w := &countingWriter{}
				n, err := f.run(w)
				if err != nil || n != benchExportRows {
					b.Fatalf("export: %d rows, %v", n, err)
				}
				out = w.n
			}
			elapsed := time.Since(start)
			peak := h.done()
			b.SetBytes(out)
			b.ReportMetric(float64(benchExportRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(out)/(1<<20), "out-MB")
			b.ReportMetric(float64(peak)/(1<<20), "heap-max-MB")
			b.ReportMetric(float64(before.HeapInuse)/(1<<20), "heap-before-MB")
		})
	}
}

// BenchmarkExportCSVVsSqlite3 streams the same 1,000,000-row table as CSV
// through the engine and through `sqlite3 -csv -header` (the native shell,
// its process start-up included; output to /dev/null for both). The
// engine's rows/s over the shell's is the export ratio (≥ 0.7);
// cpu-ns/row (this process's CPU time for the engine, the child's for the
// shell) is the steadier figure on a shared machine. "paired" runs the two
// back to back b.N times and reports the median of each pair's ratios, so
// that the machine slowing down between the two sub-benchmarks does not
// move them.
//
//	go test ./internal/engine -run '^$' -bench ExportCSVVsSqlite3 -benchtime 3x
//	go test ./internal/engine -run '^$' -bench ExportCSVVsSqlite3/paired -benchtime 7x
func BenchmarkExportCSVVsSqlite3(b *testing.B) {
	e := exportBenchEngine(b)
	ctx := context.Background()
	engineRun := func(b *testing.B) (wall, cpu time.Duration) {
		cpu0 := selfCPU(b)
		start := time.Now()
		if n, err := e.ExportCSV(ctx, "x", "t", io.Discard); err != nil || n != benchExportRows {
			b.Fatalf("export: %d rows, %v", n, err)
		}
		return time.Since(start), selfCPU(b) - cpu0
	}
	shellRun := func(b *testing.B) (wall, cpu time.Duration) {
		bin, err := osexec.LookPath("sqlite3")
		if err != nil {
			b.Skip("sqlite3 shell not installed: nothing to compare with")
		}
		path := filepath.Join(e.cfg.DataDir, "databases", "x.db")
		cmd := osexec.Command(bin, "-csv", "-header", "-readonly", path, "SELECT * FROM t")
		start := time.Now()
		if err := cmd.Run(); err != nil { // Stdout nil: /dev/null
			b.Fatalf("sqlite3: %v", err)
		}
		return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	for _, c := range []struct {
		name string
		run  func(*testing.B) (wall, cpu time.Duration)
	}{{"engine", engineRun}, {"sqlite3", shellRun}} {
		b.Run(c.name, func(b *testing.B) {
			var wall, cpu time.Duration
			for range b.N {
				w, c := c.run(b)
				wall, cpu = wall+w, cpu+c
			}
			b.ReportMetric(float64(benchExportRows)*float64(b.N)/wall.Seconds(), "rows/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(benchExportRows*b.N), "cpu-ns/row")
		})
	}
	b.Run("paired", func(b *testing.B) {
		var speed, cpu []float64
		for i := range b.N {
			var ew, ec, sw, sc time.Duration
			if i%2 == 0 { // who goes first swaps each round
				ew, ec = engineRun(b)
				sw, sc = shellRun(b)
			} else {
				sw, sc = shellRun(b)
				ew, ec = engineRun(b)
			}
			speed = append(speed, sw.Seconds()/ew.Seconds())
			cpu = append(cpu, sc.Seconds()/max(ec.Seconds(), 1e-9))
		}
		b.ReportMetric(median(speed), "rows/s-ratio")
		b.ReportMetric(median(cpu), "cpu-ratio")
	})
}

func median(v []float64) float64 {
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// selfCPU is this process's user + system CPU time so far, from
// /proc/self/stat (USER_HZ is 100 on Linux); zero where there is no /proc.
func selfCPU(b *testing.B) time.Duration {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	stat := string(raw)
	f := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	if len(f) < 13 {
		b.Fatalf("/proc/self/stat: %q", stat)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100
}
