package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver, for the catalog
)

// accessFlushInterval is how often last_accessed times reach the catalog.
const accessFlushInterval = 5 * time.Second

// Engine is the catalog plus the open SQLite databases. It is safe for
// concurrent use.
type Engine struct {
	cfg     Config
	dbDir   string
	catalog *catalog
	drv     *sqlite.Driver // opens the databases (driver.go)
	slots   resultSlots    // large results held at once (resultmem.go)
	splits  splitCache     // statements of recent call texts (writecache.go)
	open    *openSet       // databases open at once, at most Config.MaxOpen (openset.go)

	life sync.Mutex // serialises lifecycle changes (spawn, prune, delete, close)

	mu     sync.RWMutex // guards insts and closed
	insts  map[string]*instance
	closed bool

	stop chan struct{} // ends the background loops
	wg   sync.WaitGroup

	sec *security // keys, audit log, idle pruning (limits.go)
}

func (c *Config) withDefaults() {
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 30 * time.Second
	}
	if c.MaxRows <= 0 {
		c.MaxRows = 100000
	}
	// MK1 returns every row when a request names no limit; its clients
	// know no paging, so the default is the hard cap, never a silent cut.
	if c.DefaultLimit <= 0 {
		c.DefaultLimit = c.MaxRows
	}
	if c.DefaultLimit > c.MaxRows {
		c.DefaultLimit = c.MaxRows
	}
	if c.MaxResultBytes <= 0 {
		c.MaxResultBytes = DefaultMaxResultBytes
	}
	if c.MaxResultMemory <= 0 {
		c.MaxResultMemory = DefaultMaxResultMemory
	}
	if c.ReaderPool <= 0 {
		c.ReaderPool = 4
	}
	if c.SampleInterval <= 0 {
		c.SampleInterval = 5 * time.Second
	}
	if c.SampleCount <= 0 {
		c.SampleCount = 120
	}
	if c.TransferTimeout <= 0 {
		c.TransferTimeout = 10 * time.Minute
	}
	if c.BackupRetention <= 0 {
		c.BackupRetention = 10
	}
	if c.MaxOpen <= 0 {
		c.MaxOpen = defaultMaxOpen(fileLimit())
	}
	if c.ReaderIdle <= 0 {
		c.ReaderIdle = 30 * time.Second
	}
}

// Open opens (creating if needed) the data directory: <data>/catalog.db,
// <data>/databases/<name>.db, <data>/backups/<name>/. Instances that were
// running when the engine last closed are running again, but no database
// is opened before its first call, so Open takes the same time for ten
// databases or ten thousand.
func Open(cfg Config) (*Engine, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("engine: no data directory given")
	}
	cfg.withDefaults()
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	cfg.DataDir = dir
	e := &Engine{
		cfg:   cfg,
		dbDir: filepath.Join(dir, "databases"),
		insts: make(map[string]*instance),
		stop:  make(chan struct{}),
		drv:   newDriver(min(cfg.MaxResultBytes, maxValueBytes)),
		slots: newResultSlots(cfg.MaxResultMemory, cfg.MaxResultBytes),
		open:  newOpenSet(cfg.MaxOpen),
	}
	if err := prepareDataDir(dir, e.dbDir, filepath.Join(dir, "backups")); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	ctx := context.Background()
	if e.catalog, err = openCatalog(ctx, filepath.Join(dir, "catalog.db")); err != nil {
		return nil, fmt.Errorf("engine: catalog: %w", err)
	}
	list, err := e.catalog.load(ctx)
	if err != nil {
		e.catalog.close()
		return nil, fmt.Errorf("engine: catalog: %w", err)
	}
	for _, in := range list {
		if isExternal(in.Backend) {
			e.insts[in.Name] = e.openExternal(ctx, in)
			continue
		}
		inst := newInstance(in, e.dbPath(in.Name), cfg.SampleCount)
		inst.unopened.Store(in.Status == StatusRunning)
		e.insts[in.Name] = inst
	}
	if err := e.openSecurity(ctx); err != nil {
		e.closeInstances()
		e.catalog.close()
		return nil, fmt.Errorf("engine: catalog: %w", err)
	}
	e.wg.Add(1)
	go e.background()
	return e, nil
}

func (e *Engine) dbPath(name string) string { return filepath.Join(e.dbDir, name+".db") }

// Close checkpoints every WAL and closes every database. Idempotent.
func (e *Engine) Close() error {
	e.life.Lock()
	defer e.life.Unlock()
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	close(e.stop)
	e.wg.Wait()
	err := errors.Join(e.flushAccess(context.Background()), e.closeSecurity(context.Background()))
	if cerr := e.closeInstances(); err == nil {
		err = cerr
	}
	if cerr := e.catalog.close(); err == nil {
		err = cerr
	}
	return err
}

func (e *Engine) closeInstances() error {
	e.open.close()
	var err error
	for _, inst := range e.insts {
		if cerr := inst.closeExternal(); err == nil {
			err = cerr
		}
		if c := inst.conns.Swap(nil); c != nil {
			if cerr := c.close(); err == nil {
				err = cerr
			}
		}
	}
	return err
}

// background samples stats and persists access times until Close.
func (e *Engine) background() {
	defer e.wg.Done()
	sample := time.NewTicker(e.cfg.SampleInterval)
	defer sample.Stop()
	flush := time.NewTicker(accessFlushInterval)
	defer flush.Stop()
	reap := time.NewTicker(max(e.cfg.ReaderIdle/2, time.Millisecond))
	defer reap.Stop()
	for {
		select {
		case <-e.stop:
			return
		case now := <-sample.C:
			for _, inst := range e.snapshot() {
				inst.stats.sample(now)
			}
		case <-flush.C:
			e.flushAccess(context.Background())
		case now := <-reap.C:
			for _, c := range e.open.list() {
				c.closeIdleReaders(now.Add(-e.cfg.ReaderIdle))
			}
		}
	}
}

// snapshot returns the instances at this moment, in no particular order.
func (e *Engine) snapshot() []*instance {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.Collect(maps.Values(e.insts))
}

// flushAccess writes changed last_accessed times to the catalog.
func (e *Engine) flushAccess(ctx context.Context) error {
	changed := map[string]int64{}
	for _, inst := range e.snapshot() {
		if a := inst.accessed.Load(); a != inst.persisted.Load() {
			changed[inst.name] = a
		}
	}
	if err := e.catalog.touch(ctx, changed); err != nil {
		return err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	for name, a := range changed {
		if inst := e.insts[name]; inst != nil {
			inst.persisted.Store(a)
		}
	}
	return nil
}

// lookup returns the instance by name.
func (e *Engine) lookup(name string) (*instance, error) {
	if !ValidName(name) {
		return nil, ErrInvalidName
	}
	e.mu.RLock()
	inst, closed := e.insts[name], e.closed
	e.mu.RUnlock()
	switch {
	case closed:
		return nil, ErrClosed
	case inst == nil:
		return nil, ErrNotFound
	}
	return inst, nil
}

// running returns a running instance and its connections, opened if need
// be and held open until the caller's c.release(): an eviction never
// closes a database under a running call.
func (e *Engine) running(name string) (*instance, *conns, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return nil, nil, err
	}
	if inst.restoring.Load() {
		return nil, nil, errRestoring
	}
	if isExternal(inst.backend) {
		return nil, nil, errNotOnBackend(inst.backend, "This route")
	}
	if c := inst.conns.Load(); c != nil && c.hold() {
		return inst, c, nil
	}
	c, err := e.openHeld(inst)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, ErrStopped
	}
	return inst, c, nil
}

// openHeld holds the instance's connections, opening them when it is
// running but unopened (not opened since Open, or evicted); nil when it is
// stopped. A damaged file leaves it stopped, and spawning it says why.
func (e *Engine) openHeld(inst *instance) (*conns, error) {
	inst.openMu.Lock()
	defer inst.openMu.Unlock()
	// under openMu nobody evicts or detaches: connections found are held
	if c := inst.conns.Load(); c != nil && c.hold() { // opened meanwhile
		return c, nil
	}
	if !inst.unopened.Load() { // stopped
		return nil, nil
	}
	c, err := e.openInstance(context.Background(), inst)
	if errors.Is(err, ErrDamaged) {
		inst.unopened.Store(false)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", inst.name, err)
	}
	inst.unopened.Store(false)
	c.hold()
	return c, nil
}

// Counts returns how many instances are running and stopped (for /health).
func (e *Engine) Counts(ctx context.Context) (running, stopped int, err error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return 0, 0, ErrClosed
	}
	for _, inst := range e.insts {
		if inst.status() == StatusRunning {
			running++
		} else {
			stopped++
		}
	}
	return running, stopped, nil
}

// CheckDataDir reports whether the data directory is writable (for /health).
func (e *Engine) CheckDataDir() error {
	f, err := os.CreateTemp(e.cfg.DataDir, ".health-*")
	if err != nil {
		return fmt.Errorf("data directory not writable: %w", err)
	}
	name := f.Name()
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	rerr := os.Remove(name)
	return errors.Join(werr, cerr, rerr)
}

func newID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
