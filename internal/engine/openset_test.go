package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// isOpen reports whether db's files are open now.
func isOpen(t *testing.T, e *Engine, db string) bool {
	t.Helper()
	inst, err := e.lookup(db)
	if err != nil {
		t.Fatal(err)
	}
	return inst.conns.Load() != nil
}

// TestMaxOpenBoundsOpenDatabases: with MaxOpen 3, ten databases are
// created, written and read; never more than three are open, descriptors
// and goroutines stay flat past the third, the least recently used one is
// the one closed, and every database keeps its data.
func TestMaxOpenBoundsOpenDatabases(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxOpen = 3 })
	var fdsAtThree, goroutinesAtThree int
	for i := range 10 {
		db := fmt.Sprintf("d%d", i)
		spawn(t, e, db)
		exec(t, e, db, "CREATE TABLE t(v)")
		exec(t, e, db, "INSERT INTO t VALUES (?)", i)
		exec(t, e, db, "SELECT v FROM t")
		if n := e.open.count(); n > 3 {
			t.Fatalf("after %s: %d databases open, MaxOpen is 3", db, n)
		}
		if i == 2 {
			fdsAtThree, goroutinesAtThree = openFDs(t), runtime.NumGoroutine()
		}
		if i > 2 {
			if n := openFDs(t); n > fdsAtThree+2 {
				t.Fatalf("after %s: %d descriptors, %d with three databases", db, n, fdsAtThree)
			}
			// a closed pool's goroutines end soon after, not at once
			n := runtime.NumGoroutine()
			for deadline := time.Now().Add(2 * time.Second); n > goroutinesAtThree+2 && time.Now().Before(deadline); n = runtime.NumGoroutine() {
				time.Sleep(5 * time.Millisecond)
			}
			if n > goroutinesAtThree+2 {
				t.Fatalf("after %s: %d goroutines, %d with three databases", db, n, goroutinesAtThree)
			}
		}
	}
	for i := range 10 {
		db := fmt.Sprintf("d%d", i)
		if res := exec(t, e, db, "SELECT v FROM t"); len(res.Rows) != 1 || res.Rows[0][0] != int64(i) {
			t.Fatalf("%s after evictions: %v", db, res.Rows)
		}
	}

	// d7, d8, d9 are open, d7 used longest ago; using d7 again makes d8
	// the least recently used, so opening d0 closes d8.
	for _, db := range []string{"d7", "d8", "d9", "d7"} {
		time.Sleep(3 * time.Millisecond) // access times move by the millisecond
		exec(t, e, db, "SELECT 1")
	}
	time.Sleep(3 * time.Millisecond)
	exec(t, e, "d0", "SELECT 1")
	for db, want := range map[string]bool{"d0": true, "d7": true, "d9": true, "d8": false} {
		if got := isOpen(t, e, db); got != want {
			t.Errorf("%s open = %v, want %v", db, got, want)
		}
	}
	// an evicted database is still running, listed and counted as such
	if st, err := e.Stats(context.Background(), "d8"); err != nil || st.Status != StatusRunning {
		t.Fatalf("evicted database: %v %v", err, st.Status)
	}
	if running, _, _ := e.Counts(context.Background()); running != 10 {
		t.Fatalf("running = %d, want 10", running)
	}
}

// TestEvictionNeverClosesUnderACall: a database held by a call in flight
// is never evicted. With MaxOpen 1 and the open database held, opening
// another fails with ErrTooManyOpen (a transient ErrServerBusy); the held
// call's connections keep working; once it ends the other opens.
func TestEvictionNeverClosesUnderACall(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxOpen = 1 })
	spawn(t, e, "a")
	exec(t, e, "a", "CREATE TABLE t(v)")
	spawn(t, e, "b")
	exec(t, e, "b", "CREATE TABLE t(v)")

	_, held, err := e.running("a") // what every call does first
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Exec(context.Background(), "b", Query{SQL: "SELECT 1"})
	if !errors.Is(err, ErrTooManyOpen) || !errors.Is(err, ErrServerBusy) {
		t.Fatalf("open past the bound with the open database held: %v", err)
	}
	if _, err := runReader(context.Background(), time.Now().Add(time.Minute), held, oneStmt(t, "SELECT count(*) FROM t"), nil, window{limit: 1}, held.valueLimit); err != nil {
		t.Fatalf("the held database was closed under its call: %v", err)
	}
	exec(t, e, "a", "INSERT INTO t VALUES (1)") // a second call on the held database
	held.release()

	exec(t, e, "b", "INSERT INTO t VALUES (2)")
	if isOpen(t, e, "a") {
		t.Fatal("a still open after b was opened with MaxOpen 1")
	}
	if res := exec(t, e, "a", "SELECT v FROM t"); len(res.Rows) != 1 || res.Rows[0][0] != int64(1) {
		t.Fatalf("a after eviction: %v", res.Rows)
	}
}

func oneStmt(t *testing.T, sql string) sqltext.Statement {
	t.Helper()
	s, err := oneStatement(sql)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEvictionUnderConcurrentCalls: eight goroutines write to six databases
// with MaxOpen 2. Each call succeeds or fails with ErrTooManyOpen before it
// ran; no call fails otherwise, and every acknowledged row is there.
func TestEvictionUnderConcurrentCalls(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxOpen = 2 })
	const dbs = 6
	for i := range dbs {
		db := fmt.Sprintf("c%d", i)
		spawn(t, e, db)
		exec(t, e, db, "CREATE TABLE t(v)")
	}
	var acked [dbs]atomic.Int64
	var busy atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				n := (g + i) % dbs
				_, err := e.Exec(context.Background(), fmt.Sprintf("c%d", n), Query{SQL: "INSERT INTO t VALUES (1)"})
				switch {
				case err == nil:
					acked[n].Add(1)
				case errors.Is(err, ErrTooManyOpen):
					busy.Add(1)
				default:
					t.Errorf("c%d: %v", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := e.open.count(); n > 2 {
		t.Fatalf("%d databases open, MaxOpen is 2", n)
	}
	for i := range dbs {
		res := exec(t, e, fmt.Sprintf("c%d", i), "SELECT count(*) FROM t")
		if got := res.Rows[0][0].(int64); got != acked[i].Load() {
			t.Errorf("c%d holds %d rows, %d acknowledged", i, got, acked[i].Load())
		}
	}
	t.Logf("%d calls refused as busy", busy.Load())
}

// TestReadersOpenOnDemandAndCloseWhenIdle: an opened database has no
// reader until a read; readers beyond the first open only for concurrent
// reads; a reader idle past ReaderIdle is closed (its descriptors given
// back) and the next read opens one again.
func TestReadersOpenOnDemandAndCloseWhenIdle(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderIdle = 100 * time.Millisecond })
	spawn(t, e, "r")
	inst, _ := e.lookup("r")
	c := inst.conns.Load()
	if n := c.openReaders(); n != 0 {
		t.Fatalf("%d readers open before any call", n)
	}
	exec(t, e, "r", "CREATE TABLE t(v)")
	withReaders := func() int {
		exec(t, e, "r", "SELECT count(*) FROM t")
		return c.openReaders()
	}
	if n := withReaders(); n != 1 {
		t.Fatalf("%d readers open after one read, want 1", n)
	}
	fds := openFDs(t)
	deadline := time.Now().Add(5 * time.Second)
	for c.openReaders() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle reader was never closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := openFDs(t); n >= fds {
		t.Fatalf("closing the idle reader gave back no descriptor: %d, was %d", n, fds)
	}
	if inst.conns.Load() != c {
		t.Fatal("the writer was closed with the idle reader")
	}
	if n := withReaders(); n != 1 {
		t.Fatalf("%d readers after reading again, want 1", n)
	}
}

// TestRestartOpensNoDatabase: an engine over 300 running databases opens
// none of them at Open; descriptors are those of an empty data directory.
func TestRestartOpensNoDatabase(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour, MaxOpen: 20})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		spawn(t, e, fmt.Sprintf("r%d", i))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	empty, err := Open(Config{DataDir: t.TempDir(), SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	baseline := openFDs(t)
	empty.Close()

	start := time.Now()
	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	t.Logf("Open over 300 running databases: %v", time.Since(start))
	if n := e.open.count(); n != 0 {
		t.Fatalf("%d databases opened at Open", n)
	}
	if n := openFDs(t); n > baseline {
		t.Fatalf("%d descriptors after Open over 300 databases, %d over none", n, baseline)
	}
	if running, _, _ := e.Counts(context.Background()); running != 300 {
		t.Fatalf("running = %d, want 300", running)
	}
	exec(t, e, "r299", "SELECT 1")
}

// TestOutOfFilesIsBusy lowers this process's open-file limit so that
// opening a database (its writer, then a reader at the first read) runs
// out of descriptors at every step in turn. Each call either works or
// fails with ErrTooManyOpen: never a SQL error, never a panic, never a
// descriptor leaked, and the database works once the limit is back.
func TestOutOfFilesIsBusy(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "f")
	exec(t, e, "f", "CREATE TABLE t(v)")
	exec(t, e, "f", "INSERT INTO t VALUES (1)")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)

	busy := 0
	for extra := 0; extra <= 8; extra++ {
		e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		before := openFDs(t)
		lim := syscall.Rlimit{Cur: uint64(before + extra), Max: old.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Skip(err)
		}
		_, err = e.Exec(context.Background(), "f", Query{SQL: "SELECT v FROM t"})
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
		switch {
		case err == nil:
		case errors.Is(err, ErrTooManyOpen):
			busy++
		default:
			t.Fatalf("%d descriptors to spare: %v (%T), want ErrTooManyOpen", extra, err, err)
		}
		if res := exec(t, e, "f", "SELECT v FROM t"); res.Rows[0][0] != int64(1) {
			t.Fatalf("after the limit was raised: %v", res.Rows)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if busy == 0 {
		t.Fatal("no open ran out of descriptors: the test tested nothing")
	}
}

// TestReadOnlyUseLeavesTheFileAlone: a database only read between its
// open and its close (an engine Close, or an eviction) is not written: its
// file keeps its size and modification time (the close's checkpoint finds
// an empty WAL). A write is checkpointed at close: the main file holds it
// and no WAL is left.
func TestReadOnlyUseLeavesTheFileAlone(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "ro")
	exec(t, e, "ro", "CREATE TABLE t(v)")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "databases", "ro.db")
	stat := func() os.FileInfo {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	before := stat()
	time.Sleep(20 * time.Millisecond) // a write now would move the time

	for _, maxOpen := range []int{0, 1} {
		e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour, MaxOpen: maxOpen})
		if err != nil {
			t.Fatal(err)
		}
		exec(t, e, "ro", "SELECT count(*) FROM t")
		if maxOpen == 1 { // evicted by the next database's open
			spawn(t, e, "other")
			if isOpen(t, e, "ro") {
				t.Fatal("ro still open with MaxOpen 1")
			}
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if after := stat(); !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
			t.Fatalf("MaxOpen %d: a read-only use wrote the file: %v %d → %v %d", maxOpen, before.ModTime(), before.Size(), after.ModTime(), after.Size())
		}
	}

	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, e, "ro", "INSERT INTO t VALUES (zeroblob(40000))")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if after := stat(); after.Size() <= before.Size() {
		t.Fatalf("a write was not checkpointed into the file at close: %d → %d bytes", before.Size(), after.Size())
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WAL left after close: %v", err)
	}
}

// TestOpenIsCheapPerDatabase: Open over 2,000 running databases opens no
// file of theirs and allocates little per database (no latency histogram
// before the first statement, no sample ring before the first sample: a
// one-shot command takes neither), so a data directory of 10,000
// databases opens in tens of milliseconds.
func TestOpenIsCheapPerDatabase(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, SampleInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	now := time.Now()
	for i := range n { // catalog entries only: nothing opens their files
		in := Instance{Name: fmt.Sprintf("c%04d", i), ID: fmt.Sprintf("id%04d", i), Backend: BackendSQLite, Status: StatusRunning, CreatedAt: now, LastAccessed: now}
		if err := e.catalog.insert(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	e, err = Open(Config{DataDir: dir, SampleInterval: time.Hour})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	perDB := (after.TotalAlloc - before.TotalAlloc) / n
	t.Logf("Open over %d databases: %v, %d bytes allocated per database", n, took, perDB)
	if perDB > 3072 {
		t.Fatalf("Open allocated %d bytes per database, want at most 3072", perDB)
	}
	if running, _, _ := e.Counts(context.Background()); running != n {
		t.Fatalf("running = %d, want %d", running, n)
	}
	if n := e.open.count(); n != 0 {
		t.Fatalf("%d databases opened at Open", n)
	}
}
