package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ErrTooManyQueries is returned by Enter when a database already runs
// Config.MaxConcurrent calls.
var ErrTooManyQueries = errors.New("too many concurrent queries on this database")

// security is the engine's access side: the keys, the audit log and the
// background loop that enforces the idle limit. It shares the catalog.
type security struct {
	keys  *keyStore
	audit *auditLog
}

// openSecurity creates the keys and audit tables and starts the loops that
// write the audit log, store last uses and prune idle instances. They stop
// when e.stop is closed; Close waits for them through e.wg.
func (e *Engine) openSecurity(ctx context.Context) error {
	keys, err := openKeys(ctx, e.catalog.db)
	if err != nil {
		return err
	}
	audit, err := openAudit(ctx, e.catalog.db, &e.cfg)
	if err != nil {
		return err
	}
	e.sec = &security{keys: keys, audit: audit}
	e.wg.Add(2)
	go func() {
		defer e.wg.Done()
		audit.run(e.stop)
	}()
	go func() {
		defer e.wg.Done()
		e.securityLoop()
	}()
	return nil
}

// closeSecurity stores the last key uses; the loops have ended.
func (e *Engine) closeSecurity(ctx context.Context) error {
	if e.sec == nil {
		return nil
	}
	return e.sec.keys.flushLastUsed(ctx)
}

func (e *Engine) isClosed() bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.closed
}

// securityLoop writes last key uses and prunes idle instances until Close.
func (e *Engine) securityLoop() {
	flush := time.NewTicker(accessFlushInterval)
	defer flush.Stop()
	keys := time.NewTicker(keysRecheckInterval)
	defer keys.Stop()
	var idle <-chan time.Time
	if e.cfg.IdlePrune > 0 {
		t := time.NewTicker(idleCheckInterval(e.cfg.IdlePrune))
		defer t.Stop()
		idle = t.C
	}
	for {
		select {
		case <-e.stop:
			return
		case <-flush.C:
			e.sec.keys.flushLastUsed(context.Background())
		case <-keys.C:
			e.sec.keys.refresh(context.Background())
		case now := <-idle:
			e.pruneIdle(now)
		}
	}
}

// idleCheckInterval looks for idle instances often enough that one is
// pruned at most a tenth of the limit late, and at least once a minute.
func idleCheckInterval(limit time.Duration) time.Duration {
	return min(max(limit/10, 10*time.Millisecond), time.Minute)
}

// pruneIdle stops running instances not accessed for Config.IdlePrune;
// their files stay. It gives way to lifecycle changes in progress (and to
// Close) rather than wait for them.
func (e *Engine) pruneIdle(now time.Time) {
	cutoff := now.Add(-e.cfg.IdlePrune).UnixNano()
	if e.LoadAll(context.Background()) != nil {
		return // closed, or the catalog unreadable: the next round tries again
	}
	for _, inst := range e.snapshot() {
		if inst.status() != StatusRunning || inst.accessed.Load() > cutoff || inst.slots.busy() {
			continue
		}
		if !e.life.TryLock() {
			return
		}
		// checked again under the lock: a call may have arrived meanwhile
		if inst.accessed.Load() <= cutoff && !inst.slots.busy() {
			e.pruneLocked(context.Background(), inst.name)
		}
		e.life.Unlock()
	}
}

// slots counts the calls running on one instance, to bound them and so
// that idle pruning never stops an instance in use.
type slots struct {
	inflight atomic.Int64
}

func (s *slots) busy() bool { return s.inflight.Load() > 0 }

// Enter takes one of the database's Config.MaxConcurrent call slots; the
// caller gives it back with CallSlot.Leave. It does not wait: when all are
// taken it returns ErrTooManyQueries at once (the gateway answers 429).
// For a name that is not a database it takes nothing and returns the
// lookup's error (ErrInvalidName, ErrNotFound, ErrClosed).
func (e *Engine) Enter(db string) (CallSlot, error) {
	inst, err := e.lookup(db)
	if err != nil {
		return CallSlot{}, err
	}
	n := inst.slots.inflight.Add(1)
	if limit := int64(e.cfg.MaxConcurrent); limit > 0 && n > limit {
		inst.slots.inflight.Add(-1)
		return CallSlot{}, ErrTooManyQueries
	}
	return CallSlot{inflight: &inst.slots.inflight}, nil
}

// CallSlot is a call slot taken by Enter. It is a value, not a closure,
// because every call on a database takes one.
type CallSlot struct {
	inflight *atomic.Int64 // nil once given back, and for the zero slot
}

// Leave gives the slot back; leaving again, or leaving the zero slot, does
// nothing.
func (s *CallSlot) Leave() {
	if s.inflight != nil {
		s.inflight.Add(-1)
		s.inflight = nil
	}
}

// Exists reports whether db names a database, running or stopped: nil, or
// ErrInvalidName, ErrNotFound or ErrClosed. It takes nothing, so callers
// can refuse a call before reading its body.
func (e *Engine) Exists(db string) error {
	_, err := e.lookup(db)
	return err
}
