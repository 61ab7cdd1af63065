package asynclog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowFile is a real file whose writes take a while, like a busy disk or a
// terminal under load.
type slowFile struct {
	f     *os.File
	delay time.Duration
}

func (s slowFile) Write(p []byte) (int, error) {
	time.Sleep(s.delay)
	return s.f.Write(p)
}

// Lines from many goroutines all reach the file, whole and in each
// goroutine's order, and Write does not wait for the slow writes.
func TestLinesReachTheFileWholeWithoutWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := New(slowFile{f, 20 * time.Millisecond})
	var wg sync.WaitGroup
	start := time.Now()
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				fmt.Fprintf(w, "g=%d i=%d\n", g, i)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("4,000 writes took %v: they waited for the file", d)
	}
	w.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 4000 || w.Dropped() != 0 {
		t.Fatalf("%d lines, %d dropped", len(lines), w.Dropped())
	}
	next := map[string]int{}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "g=%d i=%d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
		if k := fmt.Sprint(g); i != next[k] {
			t.Fatalf("goroutine %d: line %d after %d", g, i, next[k]-1)
		} else {
			next[k]++
		}
	}
}

// A writer that never returns cannot make the log grow without bound:
// past MaxPending lines are dropped and counted.
func TestBoundedWhenTheOutputStalls(t *testing.T) {
	block := make(chan struct{})
	w := New(writerFunc(func(p []byte) (int, error) { <-block; return len(p), nil }))
	line := bytes.Repeat([]byte("x"), 1023)
	line = append(line, '\n')
	for range 2 * MaxPending / len(line) {
		w.Write(line)
	}
	if w.Dropped() == 0 {
		t.Fatal("nothing dropped with the output stalled")
	}
	close(block)
	w.Close()
}

// After Close, lines are written straight through.
func TestWriteAfterClose(t *testing.T) {
	var b bytes.Buffer
	w := New(&b)
	w.Write([]byte("a\n"))
	w.Close()
	w.Write([]byte("b\n"))
	if b.String() != "a\nb\n" {
		t.Fatalf("%q", b.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
