package postgres

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/pgtest"
)

// newBudgetFixture is newFixture on the cluster at dsn with the backend's
// session budget set (0: derived from the server).
func newBudgetFixture(t *testing.T, dsn string, sessions int) *fixture {
	t.Helper()
	dir := t.TempDir()
	b, err := New(context.Background(), dsn, Options{SecretFile: filepath.Join(dir, "postgres.secret"), MaxSessions: sessions})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	e, err := engine.Open(engine.Config{DataDir: dir, SampleInterval: time.Hour, Backends: []engine.Backend{b}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &fixture{t: t, e: e, b: b, dir: dir, dsn: dsn}
}

// On a server with room for 17 tenant sessions, four busy databases would
// want 24 (four owner and two read-only sessions each) and the server
// would refuse the rest with too_many_connections. Under the derived
// budget every call is served.
func TestBusyDatabasesStayWithinTheServersConnections(t *testing.T) {
	c := pgtest.Start(t, "max_connections=20") // 3 reserved for superusers
	f := newBudgetFixture(t, c.AdminDSN(), 0)
	if got, want := f.b.MaxSessions(), 20-3-adminConns-toolSessions; got != want {
		t.Fatalf("MaxSessions() = %d, want %d (derived from max_connections)", got, want)
	}
	dbs := []string{"b1", "b2", "b3", "b4"}
	for _, db := range dbs {
		f.spawn(db)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for _, db := range dbs {
		for i := range 6 {
			wg.Go(func() {
				for range 3 {
					// reads and writes, so both of a database's pools fill
					_, err := f.e.Exec(context.Background(), db, engine.Query{SQL: "SELECT pg_sleep(0.05)", ReadOnly: i%3 == 0})
					if err != nil {
						errs <- fmt.Errorf("%s: %w", db, err)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A spent budget answers busy (503 with Retry-After at the gateway) after
// budgetWait, never a SQL error naming roles; once the holder's call ends,
// its idle session is closed for the next database's call.
func TestSpentBudgetAnswersBusyThenFreesIdleSessions(t *testing.T) {
	f := newBudgetFixture(t, needPG(t), 1)
	f.spawn("hold")
	f.spawn("other")
	t.Cleanup(func() {
		f.e.Delete(context.Background(), "hold")
		f.e.Delete(context.Background(), "other")
	})
	held := make(chan error, 1)
	go func() {
		_, err := f.e.Exec(context.Background(), "hold", engine.Query{SQL: "SELECT pg_sleep(2)"})
		held <- err
	}()
	waitFor(t, func() bool { return f.b.sessions.waiting.Load() == 0 && len(f.b.sessions.tokens) == 1 })
	time.Sleep(100 * time.Millisecond) // the statement is running

	start := time.Now()
	_, err := f.e.Exec(context.Background(), "other", engine.Query{SQL: "SELECT 1"})
	took := time.Since(start)
	if !errors.Is(err, engine.ErrServerBusy) {
		t.Fatalf("call past the budget: err = %v (%T), want ErrServerBusy", err, err)
	}
	if msg := err.Error(); strings.Contains(msg, "dbforge_") || strings.Contains(msg, "user=") {
		t.Errorf("busy error names the server's roles or databases: %q", msg)
	}
	if took < budgetWait/2 || took > budgetWait+2*time.Second {
		t.Errorf("busy after %v, want about budgetWait (%v)", took, budgetWait)
	}
	if err := <-held; err != nil {
		t.Fatalf("the holding call: %v", err)
	}
	// hold's session is idle now and keeps the only token: other's call
	// closes it, and then hold's next call closes other's
	for _, db := range []string{"other", "hold", "other"} {
		if res, err := f.e.Exec(context.Background(), db, engine.Query{SQL: "SELECT 1 AS one"}); err != nil || len(res.Rows) != 1 {
			t.Fatalf("%s after the holder ended: %+v, %v", db, res, err)
		}
	}
	if n := len(f.b.sessions.tokens); n > 1 {
		t.Errorf("%d tokens taken, budget 1", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The server's own refusal of a session is busy too, not a SQL error.
func TestServerFullIsBusy(t *testing.T) {
	err := mapErr(context.Background(), errors.New("dial tcp 127.0.0.1:1: connection refused"))
	if errors.Is(err, engine.ErrServerBusy) {
		t.Fatalf("a refused dial mapped to busy: %v", err)
	}
	err = mapErr(context.Background(), fmt.Errorf("connect: %w", &pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}))
	if !errors.Is(err, engine.ErrServerBusy) {
		t.Fatalf("too_many_connections: err = %v (%T), want ErrServerBusy", err, err)
	}
}
