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

	// members serialises changes to which instances exist: a catalog row
	// and its insts entry are added or removed together under it, and a
	// load from the catalog into insts holds it, so a load never brings
	// back a row being deleted or doubles one being created. Taken after
	// life, before mu.
	members sync.Mutex

	mu    sync.RWMutex // guards insts, allLoaded and closed
	insts map[string]*instance
	// allLoaded is set once insts holds every catalog row; until then it
	// holds the instances named since Open (loadOne, LoadAll).
	allLoaded bool
	closed    bool

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
// running when the engine last closed are running again, but Open reads
// none of them: an instance is read from the catalog when it is first
// named, and its database opened at its first call, so Open takes the same
// time for ten databases or ten thousand and a one-shot command reads only
// the one it names. A list of all of them reads the rest (LoadAll).
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

// instanceOf makes the instance of a catalog row: a SQLite database to
// be opened by its first call, a running one of another backend opened.
func (e *Engine) instanceOf(ctx context.Context, in Instance) *instance {
	if isExternal(in.Backend) {
		return e.openExternal(ctx, in)
	}
	inst := newInstance(in, e.dbPath(in.Name), e.cfg.SampleCount)
	inst.unopened.Store(in.Status == StatusRunning)
	return inst
}

// LoadAll reads every instance of the catalog not read yet. Anything
// that lists or counts them calls it first; a server calls it at start,
// so that an unknown name costs it a map lookup, never a catalog query.
func (e *Engine) LoadAll(ctx context.Context) error {
	if done, err := e.allKnown(); done {
		return err
	}
	e.members.Lock()
	defer e.members.Unlock()
	if done, err := e.allKnown(); done { // read meanwhile, or closed
		return err
	}
	list, err := e.catalog.load(ctx)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	// under members nobody else adds or removes an instance
	e.mu.RLock()
	missing := slices.DeleteFunc(list, func(in Instance) bool { return e.insts[in.Name] != nil })
	e.mu.RUnlock()
	made := make([]*instance, len(missing))
	for i, in := range missing {
		made[i] = e.instanceOf(ctx, in)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, inst := range made {
		e.insts[inst.name] = inst
	}
	e.allLoaded = true
	return nil
}

// allKnown reports whether insts holds every instance (done, nil), or the
// engine is closed (done, ErrClosed).
func (e *Engine) allKnown() (done bool, err error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return true, ErrClosed
	}
	return e.allLoaded, nil
}

// loadOne reads the instance named from the catalog, when LoadAll has not
// read them all and lookup did not find it.
func (e *Engine) loadOne(name string) (*instance, error) {
	e.members.Lock()
	defer e.members.Unlock()
	if inst, done, err := e.known(name); done { // read meanwhile, or closed
		return inst, err
	}
	ctx := context.Background()
	in, found, err := e.catalog.get(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if !found {
		return nil, ErrNotFound
	}
	inst := e.instanceOf(ctx, in)
	e.mu.Lock()
	e.insts[name] = inst
	e.mu.Unlock()
	return inst, nil
}

// addInstance records a new instance in the catalog and in insts, as one
// change of which instances exist.
func (e *Engine) addInstance(ctx context.Context, in Instance, inst *instance) error {
	e.members.Lock()
	defer e.members.Unlock()
	if err := e.catalog.insert(ctx, in); err != nil {
		return err
	}
	e.mu.Lock()
	e.insts[in.Name] = inst
	e.mu.Unlock()
	return nil
}

// removeInstance removes an instance from the catalog and from insts.
func (e *Engine) removeInstance(ctx context.Context, name string) error {
	e.members.Lock()
	defer e.members.Unlock()
	if err := e.catalog.remove(ctx, name); err != nil {
		return err
	}
	e.mu.Lock()
	delete(e.insts, name)
	e.mu.Unlock()
	return nil
}

// Close checkpoints every WAL and closes every database. Idempotent.
func (e *Engine) Close() error {
	e.life.Lock()
	defer e.life.Unlock()
	// under members: no load from the catalog is half done, and none starts
	e.members.Lock()
	e.mu.Lock()
	wasClosed := e.closed
	e.closed = true
	e.mu.Unlock()
	e.members.Unlock()
	if wasClosed {
		return nil
	}
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
	if inst, done, err := e.known(name); done {
		return inst, err
	}
	return e.loadOne(name)
}

// known answers a lookup from insts alone; done is false when the name may
// still be in the catalog, not read yet.
func (e *Engine) known(name string) (inst *instance, done bool, err error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	inst = e.insts[name]
	switch {
	case e.closed:
		return nil, true, ErrClosed
	case inst != nil:
		return inst, true, nil
	case e.allLoaded:
		return nil, true, ErrNotFound
	}
	return nil, false, nil
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
	if err := e.LoadAll(ctx); err != nil {
		return 0, 0, err
	}
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
