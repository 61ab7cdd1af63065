package engine

import (
	"errors"
	"io"
	"sync"

	"github.com/dbforge/dbforge/internal/csvio"
)

// A batch of records goes to SQLite as one multi-row INSERT whose values are
// SQL literals: binding parameters one by one costs more than SQLite's
// parsing the literals. Text literals are built by appendSQLValue (quotes
// doubled; NUL or invalid UTF-8 through a blob cast), so a field can never
// be read as SQL, and a text literal meets the column's affinity exactly as
// a bound string would.
const (
	insertBatchRows  = 256
	insertBatchBytes = 1 << 20
)

// csvBatch is one INSERT statement's worth of records.
type csvBatch struct {
	text  []byte   // INSERT INTO t (…) VALUES (…), (…)
	vals  []string // the records' fields, row after row, for a replay
	nulls []bool   // which of vals are NULL
	lines []int    // the records' start lines
	err   error    // set on the last batch when reading failed
}

// batcher turns records into batches.
type batcher struct {
	head string
	cur  *csvBatch
	free chan *csvBatch // batches the consumer is done with
}

func newBatcher(head string) *batcher {
	return &batcher{head: head, free: make(chan *csvBatch, 4)}
}

// add appends a record and returns the batch when it is full.
func (b *batcher) add(rec csvio.Record) *csvBatch {
	if b.cur == nil {
		select {
		case b.cur = <-b.free:
			b.cur.text, b.cur.vals, b.cur.nulls, b.cur.lines = b.cur.text[:0], b.cur.vals[:0], b.cur.nulls[:0], b.cur.lines[:0]
		default:
			b.cur = &csvBatch{text: make([]byte, 0, 64<<10)}
		}
	}
	c := b.cur
	if len(c.lines) == 0 {
		c.text = append(c.text, b.head...)
	} else {
		c.text = append(c.text, ',')
	}
	c.text = append(c.text, '(')
	for i, v := range rec.Fields {
		if i > 0 {
			c.text = append(c.text, ',')
		}
		if rec.Null[i] {
			c.text = append(c.text, "NULL"...)
		} else {
			c.text = appendSQLValue(c.text, v)
		}
	}
	c.text = append(c.text, ')')
	c.vals = append(c.vals, rec.Fields...)
	c.nulls = append(c.nulls, rec.Null...)
	c.lines = append(c.lines, rec.Line)
	if len(c.lines) == insertBatchRows || len(c.text) >= insertBatchBytes {
		return b.take()
	}
	return nil
}

// take returns the batch being built (nil when there is none).
func (b *batcher) take() *csvBatch {
	c := b.cur
	b.cur = nil
	return c
}

// producer reads the rest of the CSV on its own goroutine and sends
// batches; a read or parse error ends the stream as a batch with err.
type producer struct {
	out  chan *csvBatch
	quit chan struct{}
	done sync.WaitGroup
	b    *batcher
}

func startProducer(src *csvSource, sample []csvio.Record, b *batcher) *producer {
	p := &producer{out: make(chan *csvBatch, 2), quit: make(chan struct{}), b: b}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		defer close(p.out)
		for _, rec := range sample {
			if full := b.add(rec); full != nil && !p.send(full) {
				return
			}
		}
		for {
			rec, err := src.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				p.send(&csvBatch{err: err})
				return
			}
			if full := b.add(rec); full != nil && !p.send(full) {
				return
			}
		}
		if last := b.take(); last != nil {
			p.send(last)
		}
	}()
	return p
}

// send hands a batch over; false when the consumer has stopped.
func (p *producer) send(b *csvBatch) bool {
	select {
	case p.out <- b:
		return true
	case <-p.quit:
		return false
	}
}

// recycle gives a batch's buffers back to the batcher.
func (p *producer) recycle(b *csvBatch) {
	select {
	case p.b.free <- b:
	default:
	}
}

// stop ends the producer and waits for it, so the body is never read
// after the import returns.
func (p *producer) stop() {
	close(p.quit)
	for range p.out {
	}
	p.done.Wait()
}
