package engine

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// instance is the in-memory side of a catalog entry. It is running exactly
// when conns is non-nil; lifecycle changes are serialised by Engine.life.
type instance struct {
	name      string
	id        string
	backend   string
	createdAt time.Time
	readOnly  bool
	path      string

	conns     atomic.Pointer[conns]
	unopened  atomic.Bool  // running, but closed until its next call (not opened since Open, or evicted)
	openMu    sync.Mutex   // serialises the lazy open with detach
	accessed  atomic.Int64 // last access, unix ns
	persisted atomic.Int64 // last access written to the catalog
	stats     *stats
	writes    writeCache
	slots     slots // calls in flight, for the concurrency limit (limits.go)

	xfer      sync.Mutex  // serialises backup, restore and removal of the backup directory
	restoring atomic.Bool // a restore has the instance quiesced: calls get ErrLocked

	ext atomic.Pointer[openDatabase] // the open database of a backend other than SQLite (backend.go)
}

func newInstance(in Instance, path string, sampleCount int) *instance {
	i := &instance{
		name:      in.Name,
		id:        in.ID,
		backend:   in.Backend,
		createdAt: in.CreatedAt,
		readOnly:  in.ReadOnly,
		path:      path,
		stats:     newStats(sampleCount),
	}
	i.accessed.Store(in.LastAccessed.UnixNano())
	i.persisted.Store(in.LastAccessed.UnixNano())
	return i
}

// touch records an access. It stores only when the clock moved by a
// millisecond so the hot path rarely writes the shared cache line.
func (i *instance) touch(now time.Time) {
	ns := now.UnixNano()
	if ns-i.accessed.Load() > int64(time.Millisecond) {
		i.accessed.Store(ns)
	}
}

// detach takes a running instance's connections for a prune; they are nil
// when it was never opened. running is false when it was already stopped.
func (i *instance) detach() (c *conns, running bool) {
	i.openMu.Lock()
	defer i.openMu.Unlock()
	lazy := i.unopened.Swap(false)
	c = i.conns.Swap(nil)
	return c, c != nil || lazy
}

func (i *instance) status() Status {
	if i.conns.Load() != nil || i.unopened.Load() || i.ext.Load() != nil {
		return StatusRunning
	}
	return StatusStopped
}

// info is the public view of the instance.
func (i *instance) info() Instance {
	size, wal := fileSizes(i.path)
	if od := i.ext.Load(); od != nil {
		size = od.size.Load() // another backend: as last reported
	}
	return Instance{
		Name:         i.name,
		ID:           i.id,
		Backend:      i.backend,
		Status:       i.status(),
		CreatedAt:    i.createdAt,
		LastAccessed: time.Unix(0, i.accessed.Load()).UTC(),
		ReadOnly:     i.readOnly,
		SizeBytes:    size + wal,
	}
}

// fileSizes returns the sizes of the main file and of its WAL.
func fileSizes(path string) (main, wal int64) {
	if st, err := os.Stat(path); err == nil {
		main = st.Size()
	}
	if st, err := os.Stat(path + "-wal"); err == nil {
		wal = st.Size()
	}
	return main, wal
}
