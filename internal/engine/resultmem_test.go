package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// memTestConfig allows two large results of 4 MiB at once.
func memTestConfig(c *Config) {
	c.MaxResultBytes = 4 << 20
	c.MaxResultMemory = 8 << 20
}

// holdLarge runs a query whose result needs the full budget and keeps its
// slot, as the gateway does while it encodes the answer.
func holdLarge(t *testing.T, e *Engine, db string) *Result {
	t.Helper()
	res, err := e.Exec(context.Background(), db, Query{SQL: "SELECT zeroblob(2000000) AS b", ReadOnly: true, HoldMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.slot == nil {
		t.Fatal("a 2 MB result holds no large-result slot")
	}
	return res
}

// TestLargeResultSlots: K large results hold all K slots; one more waits
// and, past its deadline, is told the server is busy, while small queries
// answer at once; a released slot lets it through.
func TestLargeResultSlots(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "m")
	if k := cap(e.slots); k != 2 {
		t.Fatalf("slots = %d, want 8 MiB / 4 MiB = 2", k)
	}
	held := []*Result{holdLarge(t, e, "m"), holdLarge(t, e, "m")}
	if n := len(e.slots); n != 2 {
		t.Fatalf("%d slots taken, want 2", n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.Exec(ctx, "m", Query{SQL: "SELECT zeroblob(2000000)", ReadOnly: true})
	if !errors.Is(err, ErrServerBusy) {
		t.Fatalf("a third large result with both slots taken: %v, want ErrServerBusy", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("the third large result did not wait (%v)", d)
	}
	if n := len(e.slots); n != 2 {
		t.Fatalf("%d slots taken after the busy answer, want 2", n)
	}

	// small results never wait for a slot
	for _, q := range []string{"SELECT 1", "SELECT zeroblob(500000)", "SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000) SELECT x FROM c)"} {
		start := time.Now()
		if _, err := e.Exec(context.Background(), "m", Query{SQL: q, ReadOnly: true}); err != nil {
			t.Fatalf("%q beside two large results: %v", q, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%q took %v beside two large results", q, d)
		}
	}

	// a waiting large result gets the slot given back
	done := make(chan error, 1)
	go func() {
		res, err := e.Exec(context.Background(), "m", Query{SQL: "SELECT zeroblob(2000000) AS b", ReadOnly: true})
		if err == nil && len(res.Rows[0][0].([]byte)) != 2000000 {
			err = fmt.Errorf("value of %d bytes", len(res.Rows[0][0].([]byte)))
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("a third large result ran with both slots taken (%v)", err)
	default:
	}
	held[0].Release()
	held[0].Release() // twice is harmless
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	held[1].Release()
	if n := len(e.slots); n != 0 {
		t.Fatalf("%d slots still taken after every release", n)
	}
	var nilRes *Result
	nilRes.Release() // harmless too
}

// TestLargeResultSlotsConcurrent: many concurrent large results never hold
// more than K slots, and each one comes back whole.
func TestLargeResultSlotsConcurrent(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "m")
	var wg sync.WaitGroup
	var mu sync.Mutex
	most := 0
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() { // sample the slots taken while the calls run
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			most = max(most, len(e.slots))
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.Exec(context.Background(), "m", Query{SQL: "SELECT zeroblob(3000000) AS b", ReadOnly: true, HoldMemory: true})
			if err == nil {
				if n := len(res.Rows[0][0].([]byte)); n != 3000000 {
					err = fmt.Errorf("value of %d bytes", n)
				}
				time.Sleep(20 * time.Millisecond) // encoding
				res.Release()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if most > 2 {
		t.Fatalf("%d large results held slots at once, want at most 2", most)
	}
	if len(e.slots) != 0 {
		t.Fatalf("%d slots left taken", len(e.slots))
	}
}

// TestResultBetweenSmallAndFullBudget: a result larger than the small
// first budget and within the full one comes back whole and identical to
// one read in pieces; past the full budget it is cut as before.
func TestResultBetweenSmallAndFullBudget(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "m")
	exec(t, e, "m", "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
	exec(t, e, "m", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) INSERT INTO t SELECT x, printf('%.*c', 20000, char(64 + x % 26)) FROM c")
	whole, err := e.Exec(context.Background(), "m", Query{SQL: "SELECT id, body FROM t ORDER BY id", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Rows) != 100 || whole.HasMore {
		t.Fatalf("2 MB of rows: %d rows, has_more %v; want all 100", len(whole.Rows), whole.HasMore)
	}
	if whole.slot != nil || len(e.slots) != 0 {
		t.Fatal("a result not asked to be held kept its slot")
	}
	// the same rows read ten at a time, each page well within the small budget
	for page := 0; page < 10; page++ {
		part, err := e.Exec(context.Background(), "m", Query{SQL: "SELECT id, body FROM t ORDER BY id", Limit: 10, Offset: page * 10, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range part.Rows {
			if fmt.Sprint(row) != fmt.Sprint(whole.Rows[page*10+i]) {
				t.Fatalf("row %d differs between the whole result and its page", page*10+i)
			}
		}
	}
	// one value between the budgets, and a table read of the same rows
	res := exec(t, e, "m", "SELECT zeroblob(3000000) AS b")
	if !bytes.Equal(res.Rows[0][0].([]byte), make([]byte, 3000000)) {
		t.Fatal("a 3 MB value did not come back whole")
	}
	rows, err := e.SelectRowsHeld(context.Background(), "m", "t", nil, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows.Rows) != 100 || rows.HasMore || rows.slot == nil {
		t.Fatalf("table read: %d rows, has_more %v, slot %v", len(rows.Rows), rows.HasMore, rows.slot != nil)
	}
	rows.Release()
	// past the full budget: cut with has_more, and a too large value refused
	exec(t, e, "m", "UPDATE t SET body = body || body || body")
	cut := exec(t, e, "m", "SELECT id, body FROM t ORDER BY id")
	if !cut.HasMore || len(cut.Rows) < 60 || len(cut.Rows) >= 100 {
		t.Fatalf("6 MB of rows with a 4 MiB budget: %d rows, has_more %v", len(cut.Rows), cut.HasMore)
	}
	_, err = e.Exec(context.Background(), "m", Query{SQL: "SELECT zeroblob(5000000)", ReadOnly: true})
	var tooBig *TooLargeError
	if !errors.As(err, &tooBig) || strings.Contains(err.Error(), "1048576") {
		t.Fatalf("a value past the full budget: %v", err)
	}
}

// TestSmallFirstRunAllocatesLittle: randomblob asked for more than the
// small budget is refused before it allocates, so a call waiting for a
// slot (or many at once) costs next to nothing.
func TestSmallFirstRunAllocatesLittle(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "m")
	held := []*Result{holdLarge(t, e, "m"), holdLarge(t, e, "m")}
	defer func() {
		for _, r := range held {
			r.Release()
		}
	}()
	var err error
	n := allocated(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err = e.Exec(ctx, "m", Query{SQL: "SELECT randomblob(2500000)", ReadOnly: true})
	})
	if !errors.Is(err, ErrServerBusy) {
		t.Fatalf("randomblob(2.5 MB) with both slots taken: %v", err)
	}
	if n > 1<<20 {
		t.Fatalf("the small first run allocated %d KB", n>>10)
	}
	held[0].Release()
	res, err := e.Exec(context.Background(), "m", Query{SQL: "SELECT randomblob(2500000)", ReadOnly: true})
	if err != nil || len(res.Rows[0][0].([]byte)) != 2500000 {
		t.Fatalf("randomblob(2.5 MB) with a free slot: %v", err)
	}
}

// TestLargeParameterWriteNeedsNoSlot: a write whose bound value is larger
// than the small budget goes to the writer without waiting for a
// large-result slot, even when every slot is taken.
func TestLargeParameterWriteNeedsNoSlot(t *testing.T) {
	e := openTest(t, memTestConfig)
	spawn(t, e, "m")
	exec(t, e, "m", "CREATE TABLE t (b BLOB)")
	held := []*Result{holdLarge(t, e, "m"), holdLarge(t, e, "m")}
	defer func() {
		for _, r := range held {
			r.Release()
		}
	}()
	blob := bytes.Repeat([]byte{7}, 1_500_000)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, q := range []Query{
		{SQL: "INSERT INTO t VALUES (?)", Params: []any{blob}},
		{SQL: "INSERT INTO t VALUES (:b)", Named: map[string]any{"b": string(blob)}},
	} {
		res, err := e.Exec(ctx, "m", q)
		if err != nil || res.RowsAffected != 1 {
			t.Fatalf("%s with a 1.5 MB value while the slots are taken: %v", q.SQL, err)
		}
	}
	// a call that may not write gets no larger first limit for its values
	short, stop := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer stop()
	if _, err := e.Exec(short, "m", Query{SQL: "SELECT length(?)", Params: []any{blob}, ReadOnly: true}); !errors.Is(err, ErrServerBusy) {
		t.Fatalf("a read-only call with a 1.5 MB value while the slots are taken: %v, want ErrServerBusy", err)
	}
	// reading a stored value over 1 MiB is a large read (SQLite checks
	// the per-value limit when it loads a column): it waits for a slot
	held[0].Release()
	res, err := e.Exec(ctx, "m", Query{SQL: "SELECT b FROM t", ReadOnly: true})
	if err != nil || len(res.Rows) != 2 {
		t.Fatalf("reading the values back: %v", err)
	}
	if !bytes.Equal(res.Rows[0][0].([]byte), blob) || res.Rows[1][0] != string(blob) {
		t.Fatal("the values did not come back byte for byte")
	}
}
