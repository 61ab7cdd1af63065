package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// ErrTooManyOpen is an open refused for lack of file descriptors: every
// database the engine may keep open (Config.MaxOpen) is held by a call, or
// the process ran out of descriptors (EMFILE/ENFILE). It is transient: the
// same call may succeed shortly.
var ErrTooManyOpen = fmt.Errorf("%w: too many databases or files open at once", ErrServerBusy)

// fdsPerOpenDatabase is what one open database costs at rest: the writer's
// main file and WAL, the shared-memory file, and one reader's file and WAL.
const fdsPerOpenDatabase = 5

// maxOpenWait bounds the last wait for a held database to be let go of
// when every open one is held (about twice it in all).
const maxOpenWait = 32 * time.Millisecond

// defaultMaxOpen derives Config.MaxOpen from the open-file limit: a quarter
// of the descriptors (and 64 more) stay free for sockets, the catalog,
// backups and readers beyond the first; the rest are shared out at
// fdsPerOpenDatabase each. 1,024 descriptors give 140 databases, 20,000
// give 2,987.
func defaultMaxOpen(fileLimit int) int {
	if fileLimit <= 0 {
		return 256
	}
	return max(8, (fileLimit-fileLimit/4-64)/fdsPerOpenDatabase)
}

// openSet bounds how many databases have their files open at once. Opening
// one past Config.MaxOpen first closes the least recently used open
// database that no call holds (conns.refs); when every open one is held the
// open fails with ErrTooManyOpen. Entries whose instance let go of its
// connections otherwise (prune, delete, restore) are dropped when met.
type openSet struct {
	mu      sync.Mutex
	max     int
	open    map[*instance]*conns
	pending int  // opens under way, counted against max
	closed  bool // the engine is closing: nothing more is admitted
}

func newOpenSet(maxOpen int) *openSet {
	return &openSet{max: maxOpen, open: make(map[*instance]*conns)}
}

// reserve makes room for one more open database. It returns the
// connections it took from another instance to do so, for the caller to
// close outside the lock, or nil when there was room.
func (s *openSet) reserve(self *instance) (*conns, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var evicted *conns
	if len(s.open)+s.pending >= s.max {
		s.dropStale()
	}
	if len(s.open)+s.pending >= s.max {
		if evicted = s.evictLRU(self); evicted == nil {
			return nil, ErrTooManyOpen
		}
	}
	s.pending++
	return evicted, nil
}

// admit records an open that reserve made room for; false when the engine
// closed meanwhile (the caller closes c).
func (s *openSet) admit(inst *instance, c *conns) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending--
	if s.closed {
		return false
	}
	s.open[inst] = c
	return true
}

// cancel gives back the room of an open that failed.
func (s *openSet) cancel() {
	s.mu.Lock()
	s.pending--
	s.mu.Unlock()
}

// close admits nothing more, for Engine.Close.
func (s *openSet) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

// list returns the open connections at this moment, for the reader reaper.
func (s *openSet) list() []*conns {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.open))
}

// count is how many databases are open (stale entries dropped first).
func (s *openSet) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropStale()
	return len(s.open)
}

// dropStale forgets entries whose instance no longer has those connections.
func (s *openSet) dropStale() {
	for inst, c := range s.open {
		if inst.conns.Load() != c {
			delete(s.open, inst)
		}
	}
}

// evictLRU detaches the least recently accessed open database that no
// call holds and returns its connections; nil when there is none. An
// instance whose open lock is taken (it is being opened, pruned or
// restored) is passed over rather than waited for: that lock is taken
// before s.mu elsewhere.
func (s *openSet) evictLRU(self *instance) *conns {
	skip := map[*instance]bool{self: true}
	for {
		var victim *instance
		for inst, c := range s.open {
			if skip[inst] || c.refs.Load() != 0 {
				continue
			}
			if victim == nil || inst.accessed.Load() < victim.accessed.Load() {
				victim = inst
			}
		}
		if victim == nil {
			return nil
		}
		if c := s.detachIdle(victim); c != nil {
			return c
		}
		skip[victim] = true
	}
}

// detachIdle takes victim's connections if no call holds them, leaving it
// running but unopened: its next call opens it again.
func (s *openSet) detachIdle(victim *instance) *conns {
	if !victim.openMu.TryLock() {
		return nil
	}
	defer victim.openMu.Unlock()
	c := s.open[victim]
	if victim.conns.Load() != c || !c.refs.CompareAndSwap(0, -1) {
		return nil
	}
	delete(s.open, victim)
	victim.conns.Store(nil)
	victim.unopened.Store(true)
	return c
}

// openInstance opens inst's database within the open bound and stores its
// connections; the caller holds inst.openMu. The database it evicted to
// make room is closed (and checkpointed) first, so descriptors are given
// back before new ones are taken.
func (e *Engine) openInstance(ctx context.Context, inst *instance) (*conns, error) {
	evicted, err := e.open.reserve(inst)
	// every open database held: calls are short, so wait a little for one
	for wait := time.Millisecond; errors.Is(err, ErrTooManyOpen) && wait <= maxOpenWait; wait *= 2 {
		time.Sleep(wait)
		evicted, err = e.open.reserve(inst)
	}
	if err != nil {
		return nil, err
	}
	if evicted != nil {
		// a checkpoint refused now (a reader of another process) is
		// done by the next one; the WAL keeps the data meanwhile
		evicted.close()
	}
	c, err := openConns(ctx, inst.path, &e.cfg, e.drv)
	if err != nil {
		e.open.cancel()
		return nil, openErr(err)
	}
	inst.conns.Store(c)
	if !e.open.admit(inst, c) {
		inst.conns.Store(nil)
		c.close()
		return nil, ErrClosed
	}
	return c, nil
}

// startInstance is openInstance for a lifecycle change (spawn, restore).
func (e *Engine) startInstance(ctx context.Context, inst *instance) (*conns, error) {
	inst.openMu.Lock()
	defer inst.openMu.Unlock()
	return e.openInstance(ctx, inst)
}

// openErr maps a failed open: running out of descriptors is ErrTooManyOpen
// (transient, 503), never a SQL error.
func openErr(err error) error {
	if outOfFiles(err) {
		return fmt.Errorf("%w (%s)", ErrTooManyOpen, cleanMessage(err.Error()))
	}
	return err
}

// outOfFiles reports whether err comes from the process's open-file limit.
// SQLite reports it as SQLITE_CANTOPEN without the errno, and has given
// back the descriptors of its failed open by then, so a CANTOPEN counts
// when the process is within fdSlack descriptors of its limit.
func outOfFiles(err error) bool {
	if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
		return true
	}
	if sqliteCode(err) != sqlite3.SQLITE_CANTOPEN {
		return false
	}
	limit := fileLimit()
	ents, derr := os.ReadDir("/proc/self/fd")
	switch {
	case errors.Is(derr, syscall.EMFILE) || errors.Is(derr, syscall.ENFILE):
		return true
	case derr != nil || limit <= 0: // no count here: probe with one more file
		f, perr := os.Open(os.DevNull)
		if perr == nil {
			f.Close()
		}
		return errors.Is(perr, syscall.EMFILE) || errors.Is(perr, syscall.ENFILE)
	}
	return len(ents)+fdSlack >= limit
}

// fdSlack is how close to the open-file limit a failed SQLite open must
// come to be taken for running out: a database with its WAL and
// shared-memory file takes three, a reader two.
const fdSlack = 8
