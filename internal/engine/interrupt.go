package engine

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// interruptPoll is how often an armed interrupter looks at its call's
// context, and how often it interrupts again once the deadline has passed
// (SQLite drops an interrupt that arrives between two statements).
const interruptPoll = 20 * time.Millisecond

// interrupter keeps the query timeout of the calls on one SQLite
// connection with one reusable timer, instead of a context with a deadline
// per call: for any context that can be cancelled, database/sql
// (Rows.awaitDone) and the driver (interruptOnDone) each start a goroutine
// per statement, several microseconds of a point query. While armed, the
// connection's statements run under a context that cannot be cancelled,
// and the timer calls sqlite3_interrupt once the deadline passes or the
// call's own context ends (looked at every interruptPoll).
type interrupter struct {
	db uintptr // the connection's sqlite3 handle; 0: not found, see newInterrupter
	// cancel ends the armed call's context when db is 0
	cancel context.CancelFunc

	mu       sync.Mutex
	timer    *time.Timer
	armed    bool
	ctx      context.Context // the armed call's own context
	deadline time.Time
}

// newInterrupter returns conn's interrupter. When the driver's connection
// does not expose its handle as this version does, arm falls back to a
// context with a deadline (and TestInterrupterFindsHandle fails).
func newInterrupter(conn *sql.Conn) *interrupter {
	var db uintptr
	conn.Raw(func(dc any) error {
		db, _ = driverHandle(dc)
		return nil
	})
	in := &interrupter{db: db}
	if db != 0 {
		in.timer = time.AfterFunc(time.Hour, in.fire)
		in.timer.Stop()
	}
	return in
}

// arm starts a call that must end by deadline or when ctx ends, and
// returns the context the call's statements run under. The caller must
// disarm before the connection serves another call.
func (in *interrupter) arm(ctx context.Context, deadline time.Time) context.Context {
	if in.db == 0 {
		ctx, in.cancel = context.WithDeadline(ctx, deadline)
		return ctx
	}
	in.mu.Lock()
	in.armed, in.ctx, in.deadline = true, ctx, deadline
	in.timer.Reset(min(max(time.Until(deadline), 0), interruptPoll))
	in.mu.Unlock()
	return context.WithoutCancel(ctx)
}

// disarm ends the call arm started.
func (in *interrupter) disarm() {
	if in.db == 0 {
		in.cancel()
		in.cancel = nil
		return
	}
	in.mu.Lock()
	in.armed, in.ctx = false, nil
	in.timer.Stop()
	in.mu.Unlock()
}

// fire runs on the timer: it interrupts the connection when the armed
// call is past its deadline or its context has ended, and looks again
// later while the call runs. An interrupt arriving after the call's last
// statement is harmless: SQLite clears it when the next statement starts
// on an idle connection. The lock keeps it from reaching the next call.
func (in *interrupter) fire() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.armed {
		return
	}
	if in.ctx.Err() != nil || !time.Now().Before(in.deadline) {
		// a TLS of its own: the call it interrupts is running on the
		// connection's, which is not safe for concurrent use
		tls := libc.NewTLS()
		sqlite3.Xsqlite3_interrupt(tls, in.db)
		tls.Close()
	}
	in.timer.Reset(in.nextLook())
}

// nextLook is when fire should run again: at the deadline or after
// interruptPoll, whichever is sooner; every interruptPoll once past it.
func (in *interrupter) nextLook() time.Duration {
	d := time.Until(in.deadline)
	if d <= 0 || d > interruptPoll {
		return interruptPoll
	}
	return d
}
