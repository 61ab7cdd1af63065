// Package asynclog is a buffered writer for log lines that takes the disk
// (or terminal) off the request path: Write copies the line into memory and
// returns; one goroutine writes what gathered every FlushInterval, or at
// once when a buffer's worth waits. Past MaxPending bytes waiting, lines
// are dropped and counted rather than block a request.
package asynclog

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// FlushInterval bounds how long a line waits in memory.
	FlushInterval = 100 * time.Millisecond
	// flushAt wakes the writer early once this much waits.
	flushAt = 64 << 10
	// MaxPending is the most that may wait; lines past it are dropped.
	MaxPending = 4 << 20
)

// Writer buffers writes to an underlying io.Writer. Its zero value is not
// usable; call New. Close flushes and stops it.
type Writer struct {
	out io.Writer

	mu      sync.Mutex
	pending []byte
	spare   []byte // the buffer the writer goroutine hands back

	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	closed  atomic.Bool
	dropped atomic.Int64
}

// New starts a Writer over out.
func New(out io.Writer) *Writer {
	w := &Writer{out: out, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// Write queues a copy of p (one log line, as slog handlers write them).
// It never blocks on out; a line that does not fit is dropped and counted.
// After Close it writes through, so late lines are not lost.
func (w *Writer) Write(p []byte) (int, error) {
	if w.closed.Load() {
		<-w.done // the goroutine has written its last
		w.mu.Lock()
		defer w.mu.Unlock()
		w.writePendingLocked()
		return w.out.Write(p)
	}
	w.mu.Lock()
	if len(w.pending)+len(p) > MaxPending {
		w.mu.Unlock()
		w.dropped.Add(1)
		return len(p), nil
	}
	w.pending = append(w.pending, p...)
	full := len(w.pending) >= flushAt
	w.mu.Unlock()
	if full {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// Dropped is how many lines were dropped because MaxPending was waiting.
func (w *Writer) Dropped() int64 { return w.dropped.Load() }

func (w *Writer) run() {
	defer close(w.done)
	t := time.NewTicker(FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-w.wake:
		case <-w.stop:
			w.flush()
			return
		}
		w.flush()
	}
}

// flush writes what waits; only the run goroutine (and Close, after it)
// calls it, so out sees one writer at a time.
func (w *Writer) flush() {
	w.mu.Lock()
	buf := w.pending
	w.pending = w.spare[:0]
	w.mu.Unlock()
	if len(buf) > 0 {
		w.out.Write(buf) // a log that cannot be written has nowhere to say so
	}
	w.mu.Lock()
	w.spare = buf[:0]
	w.mu.Unlock()
}

// Close writes what waits and stops the goroutine; later writes go
// straight to out. It is safe to call twice.
func (w *Writer) Close() error {
	if w.closed.Swap(true) {
		return nil
	}
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writePendingLocked() // a line queued between the last flush and closed being set
	return nil
}

// writePendingLocked writes what waits, once the goroutine has stopped.
func (w *Writer) writePendingLocked() {
	if len(w.pending) > 0 {
		w.out.Write(w.pending)
		w.pending = w.pending[:0]
	}
}
