package client_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
)

// TestForkUnderWritesOverHTTP forks over a real loopback gateway while a
// goroutine keeps committing transactions that change two tables together.
func TestForkUnderWritesOverHTTP(t *testing.T) {
	c := loopbackClient(t)
	ctx := ctxT(t)
	spawn(t, c, "src")
	exec(t, c, "src", "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
	exec(t, c, "src", "CREATE TABLE ledger(id INTEGER PRIMARY KEY, note TEXT)")
	exec(t, c, "src", "INSERT INTO counter VALUES (1, 0)")
	var stop atomic.Bool
	var wrote atomic.Int64
	var wg sync.WaitGroup
	var werr error
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for !stop.Load() {
			script := "INSERT INTO ledger(note) VALUES ('w'); UPDATE counter SET n = n + 1;"
			if _, err := c.ImportSQL(ctx, "src", strings.NewReader(script)); err != nil {
				werr = err
				return
			}
			wrote.Add(1)
		}
	}()
	for wrote.Load() < 10 {
		select {
		case <-done:
			t.Fatalf("writer stopped: %v", werr)
		case <-time.After(time.Millisecond):
		}
	}
	f, err := c.Fork(ctx, "src", "dst", "")
	stop.Store(true)
	wg.Wait()
	if err != nil || werr != nil {
		t.Fatalf("Fork: %v; writer: %v", err, werr)
	}
	if f.DBName != "dst" || f.Source != "src" || f.ID == "" || f.Status != "running" {
		t.Fatalf("fork result %+v", f)
	}
	if r := exec(t, c, "dst", "PRAGMA integrity_check"); r.Rows[0][0] != "ok" {
		t.Fatalf("integrity_check: %v", r.Rows)
	}
	r := exec(t, c, "dst", "SELECT (SELECT n FROM counter), (SELECT count(*) FROM ledger)")
	if r.Rows[0][0] != r.Rows[0][1] {
		t.Fatalf("fork is not a consistent snapshot: counter %v, ledger rows %v", r.Rows[0][0], r.Rows[0][1])
	}
	exec(t, c, "dst", "DELETE FROM ledger")
	if r := exec(t, c, "src", "SELECT count(*) FROM ledger"); r.Rows[0][0] == int64(0) {
		t.Fatal("a delete in the fork emptied the source")
	}
	_, err = c.Fork(ctx, "src", "dst", "")
	if ae, ok := err.(*client.APIError); !ok || ae.Code != client.CodeExists {
		t.Fatalf("fork onto an existing database: %v", err)
	}
	if _, err := c.Fork(ctx, "src", "", ""); err == nil {
		t.Fatal("empty target accepted")
	}
}
