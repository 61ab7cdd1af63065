package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestInterrupterFindsHandle: every connection of a database gets an
// interrupter, so the query timeout does not fall back to a context per
// call (which still works, but costs the goroutines it exists to avoid).
// A driver upgrade that renames the handle fails here.
func TestInterrupterFindsHandle(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a)")
	exec(t, e, "d", "SELECT * FROM t")
	_, c, err := e.running("d")
	if err != nil {
		t.Fatal(err)
	}
	defer c.release()
	if c.wintr.db == 0 {
		t.Error("the writer's interrupter has no handle")
	}
	c.rmu.RLock()
	defer c.rmu.RUnlock()
	if len(c.rstate) == 0 {
		t.Fatal("no reader was opened")
	}
	for _, rs := range c.rstate {
		if rs.intr.db == 0 {
			t.Error("a reader's interrupter has no handle")
		}
	}
}

const endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "

// TestInterruptEndsOnlyItsCall: a call cut off by its deadline leaves the
// connection sound for the next call, which runs to completion, on the
// reader and on the writer alike, many times over (an interrupt that
// reached the following call would fail it).
func TestInterruptEndsOnlyItsCall(t *testing.T) {
	e := openTest(t, func(c *Config) { c.QueryTimeout = 30 * time.Millisecond; c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a)")
	for i := range 20 {
		for _, long := range []string{
			endless + "SELECT count(*) FROM c",
			"INSERT INTO t " + endless + "SELECT x FROM c",
		} {
			start := time.Now()
			_, err := e.Exec(context.Background(), "d", Query{SQL: long})
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("round %d: %q: err = %v, want a timeout", i, long, err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("round %d: the timeout took %v", i, took)
			}
			for _, short := range []string{"SELECT count(*) FROM t", "INSERT INTO t VALUES (1)"} {
				if _, err := e.Exec(context.Background(), "d", Query{SQL: short}); err != nil {
					t.Fatalf("round %d: %q after a timeout: %v", i, short, err)
				}
			}
		}
	}
}

// TestCallerCancelInterrupts: a caller that goes away ends its statement
// (the interrupter looks at the call's context while it runs) and gets
// its context's error, not a timeout.
func TestCallerCancelInterrupts(t *testing.T) {
	e := openTest(t, func(c *Config) { c.QueryTimeout = time.Minute })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a)")
	for _, long := range []string{endless + "SELECT count(*) FROM c", "INSERT INTO t " + endless + "SELECT x FROM c"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := e.Exec(ctx, "d", Query{SQL: long})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%q: err = %v, want context.Canceled", long, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%q: cancelled after 100ms, ended after %v", long, took)
		}
	}
}

// TestWaitsEndAtTheDeadlineOrWithTheCaller: a call waiting for a busy
// reader or writer gives up at its query timeout (locked, not a hang) or
// as soon as its caller goes away.
func TestWaitsEndAtTheDeadlineOrWithTheCaller(t *testing.T) {
	e := openTest(t, func(c *Config) { c.QueryTimeout = 100 * time.Millisecond; c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a)")
	_, c, err := e.running("d")
	if err != nil {
		t.Fatal(err)
	}
	defer c.release()
	rc, err := c.acquireReader(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.acquireWriter(context.Background(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"SELECT * FROM t", "INSERT INTO t VALUES (1)"} {
		start := time.Now()
		_, err := e.Exec(context.Background(), "d", Query{SQL: sql})
		if !errors.Is(err, ErrLocked) || time.Since(start) > 2*time.Second {
			t.Errorf("%q with its connection busy: %v after %v, want locked at the timeout", sql, err, time.Since(start))
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		if _, err := e.Exec(ctx, "d", Query{SQL: sql, Limit: 1}); !errors.Is(err, context.Canceled) {
			t.Errorf("%q, caller gone while waiting: %v", sql, err)
		}
	}
	c.releaseWriter()
	c.releaseReader(rc)
	exec(t, e, "d", "INSERT INTO t VALUES (1)")
	if got := exec(t, e, "d", "SELECT count(*) FROM t").Rows[0][0]; got != int64(1) {
		t.Errorf("count %v after the waits", got)
	}
}

// TestInterrupterFallback: without the driver's handle, a call's
// statements run under a context that ends at the deadline or with the
// caller, and disarm releases it.
func TestInterrupterFallback(t *testing.T) {
	in := &interrupter{}
	ctx := in.arm(context.Background(), time.Now().Add(20*time.Millisecond))
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("the fallback context outlived its deadline")
	}
	in.disarm()
	parent, cancel := context.WithCancel(context.Background())
	ctx = in.arm(parent, time.Now().Add(time.Hour))
	cancel()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("caller gone: %v", ctx.Err())
	}
	in.disarm()
	if in.cancel != nil {
		t.Error("disarm kept the call's cancel")
	}
}
