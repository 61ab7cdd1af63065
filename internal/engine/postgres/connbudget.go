package postgres

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dbforge/dbforge/internal/engine"
)

// errServerFull is the server's own refusal of a session (too_many_connections):
// other clients hold what the budget assumed free.
var errServerFull = fmt.Errorf("%w (the PostgreSQL server has no free connection)", engine.ErrSessionsBusy)

// budgetWait bounds how long a call waits for a session to be let go of
// when the budget is spent.
const budgetWait = time.Second

// budgetRescan is how often a waiting call looks for idle sessions to close.
const budgetRescan = 50 * time.Millisecond

// sessionBudget bounds the sessions all of a backend's tenant pools hold on
// the server at once. Each pool is bounded too (Options.MaxConns), but
// without a bound across them enough busy databases take every one of the
// server's max_connections, and then every other tenant's calls fail.
//
// A session holds one token from the moment its socket is dialled until
// the socket is closed, whatever closes it. A dial that finds no token
// closes the idle sessions of other pools first, then waits; while anyone
// waits, a released session is closed instead of kept idle (keepIdle).
type sessionBudget struct {
	tokens  chan struct{} // one element per session open on the server
	waiting atomic.Int32

	mu    sync.Mutex
	pools map[*pgxpool.Pool]struct{} // the pools whose idle sessions may be closed for a waiter
}

func newSessionBudget(size int) *sessionBudget {
	return &sessionBudget{tokens: make(chan struct{}, size), pools: make(map[*pgxpool.Pool]struct{})}
}

// size is the most sessions the budget lets be open at once.
func (b *sessionBudget) size() int { return cap(b.tokens) }

func (b *sessionBudget) add(p *pgxpool.Pool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pools[p] = struct{}{}
}

func (b *sessionBudget) remove(p *pgxpool.Pool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.pools, p)
}

// keepIdle tells a pool whether a released session may stay open: not
// while a call of any pool waits for a session.
func (b *sessionBudget) keepIdle() bool { return b.waiting.Load() == 0 }

// take takes a token, closing idle sessions of other pools and then
// waiting up to budgetWait when there is none. It looks for idle sessions
// again every budgetRescan: one released meanwhile may have gone idle just
// after it looked.
func (b *sessionBudget) take(ctx context.Context) error {
	select {
	case b.tokens <- struct{}{}:
		return nil
	default:
	}
	b.waiting.Add(1)
	defer b.waiting.Add(-1)
	deadline := time.NewTimer(budgetWait)
	defer deadline.Stop()
	rescan := time.NewTicker(budgetRescan)
	defer rescan.Stop()
	for {
		b.closeIdle(ctx)
		select {
		case b.tokens <- struct{}{}:
			return nil
		case <-rescan.C:
		case <-deadline.C:
			return engine.ErrSessionsBusy // past budgetWait: 503 with Retry-After
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *sessionBudget) give() { <-b.tokens }

// closeIdle closes the idle sessions of the first pool that has any: it
// frees their tokens for a waiting call of another pool.
func (b *sessionBudget) closeIdle(ctx context.Context) {
	b.mu.Lock()
	var victim *pgxpool.Pool
	for p := range b.pools {
		if p.Stat().IdleConns() > 0 {
			victim = p
			break
		}
	}
	b.mu.Unlock()
	if victim == nil {
		return
	}
	for _, c := range victim.AcquireAllIdle(ctx) {
		conn := c.Hijack()
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn.Close(closeCtx)
		cancel()
	}
}

// dialer is what BeforeConnect installs on each new session's config: its
// first socket takes a token, released when that socket closes. A socket
// dialled while the session's own is open is a cancel request, which
// PostgreSQL does not count against max_connections: it takes none, so a
// spent budget never holds up a cancellation.
func (b *sessionBudget) dialer(dial pgconn.DialFunc) pgconn.DialFunc {
	var open atomic.Bool
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if open.Load() {
			return dial(ctx, network, addr)
		}
		if err := b.take(ctx); err != nil {
			return nil, err
		}
		c, err := dial(ctx, network, addr)
		if err != nil {
			b.give()
			return nil, err
		}
		open.Store(true)
		return &budgetConn{Conn: c, release: func() { open.Store(false); b.give() }}, nil
	}
}

// budgetConn gives its token back once, when it is first closed.
type budgetConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *budgetConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// limit puts a pool's sessions under the budget.
func (b *sessionBudget) limit(cfg *pgxpool.Config) {
	cfg.BeforeConnect = func(_ context.Context, cc *pgx.ConnConfig) error {
		cc.DialFunc = b.dialer(cc.DialFunc)
		return nil
	}
}

// defaultSessions derives the budget from the server's own limit: what
// max_connections leaves after the superuser's reserve, less the admin
// pool and a few for the tools the backend runs (pg_dump, pg_restore,
// psql). At least 2, so a small server still serves.
func defaultSessions(serverMax, reserved int) int {
	return max(2, serverMax-reserved-adminConns-toolSessions)
}

const (
	adminConns   = 4 // the admin pool's bound
	toolSessions = 4 // room for pg_dump, pg_restore and psql runs
)
