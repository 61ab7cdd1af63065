package engine

import (
	"context"
	"testing"
	"time"
)

func TestEnterBoundsConcurrentCalls(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxConcurrent = 2 })
	spawn(t, e, "c")
	r1, err := e.Enter("c")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.Enter("c")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enter("c"); err != ErrTooManyQueries {
		t.Fatalf("third call: %v", err)
	}
	r1.Leave()
	r1.Leave() // leaving twice frees one slot only
	r3, err := e.Enter("c")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	if _, err := e.Enter("c"); err != ErrTooManyQueries {
		t.Fatalf("double release freed two slots: %v", err)
	}
	r2.Leave()
	r3.Leave()
	var zero CallSlot
	zero.Leave() // the zero slot holds nothing
	for i := range 2 {
		if s, err := e.Enter("c"); err != nil {
			t.Fatalf("slot %d after all left: %v", i, err)
		} else {
			defer s.Leave()
		}
	}
	if _, err := e.Enter("c"); err != ErrTooManyQueries {
		t.Fatalf("leaving the zero slot freed one: %v", err)
	}
	// unknown names take nothing and say why
	if _, err := e.Enter("nope"); err != ErrNotFound {
		t.Fatalf("unknown db: %v", err)
	}
	if err := e.Exists("nope"); err != ErrNotFound {
		t.Fatalf("Exists(unknown): %v", err)
	}
	if err := e.Exists("../x"); err != ErrInvalidName {
		t.Fatalf("Exists(bad name): %v", err)
	}
	if err := e.Exists("c"); err != nil {
		t.Fatalf("Exists(c): %v", err)
	}
}

func TestIdlePrune(t *testing.T) {
	// long enough that a loaded machine cannot prune "busy" between its
	// spawn and the call that keeps it running
	e := openTest(t, func(c *Config) { c.IdlePrune = 400 * time.Millisecond })
	spawn(t, e, "busy")
	release, err := e.Enter("busy") // a call in flight keeps it running
	if err != nil {
		t.Fatal(err)
	}
	spawn(t, e, "idle")
	exec(t, e, "idle", "CREATE TABLE t(a)")
	exec(t, e, "idle", "INSERT INTO t VALUES (42)")
	waitFor(t, func() bool {
		in, _ := e.Get(context.Background(), "idle")
		return in.Status == StatusStopped
	})
	if in, _ := e.Get(context.Background(), "busy"); in.Status != StatusRunning {
		t.Fatal("an instance with a call in flight was pruned")
	}
	release.Leave()
	// data kept: spawn again and read it
	spawn(t, e, "idle")
	if res := exec(t, e, "idle", "SELECT a FROM t"); res.Rows[0][0] != int64(42) {
		t.Fatalf("data lost: %v", res.Rows)
	}
}

func TestIdleCheckInterval(t *testing.T) {
	for _, c := range []struct{ limit, want time.Duration }{
		{time.Millisecond, 10 * time.Millisecond},
		{time.Second, 100 * time.Millisecond},
		{time.Hour, time.Minute},
	} {
		if got := idleCheckInterval(c.limit); got != c.want {
			t.Errorf("%v: %v, want %v", c.limit, got, c.want)
		}
	}
}
