package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Audit defaults.
const (
	defaultAuditQueue   = 8192
	defaultAuditMaxRows = 1_000_000
	defaultAuditMaxAge  = 90 * 24 * time.Hour
	auditBatch          = 512                   // entries per insert transaction at most
	auditPruneEvery     = 30 * time.Second      // how often retention is applied
	auditLinger         = 20 * time.Millisecond // wait for entries to gather after a batch that was not full
	maxAuditList        = 10000
	// Calls that presented no valid key are folded into one entry per
	// source, route, database and status per auditFoldWindow, for at most
	// auditMaxFolds distinct ones per window (the rest share one entry):
	// a flood of bad keys adds a bounded number of rows.
	auditFoldWindow = time.Second
	auditMaxFolds   = 256
)

// Statement kinds: what a statement did (Result.Kind, learnt from SQLite)
// and what an audit entry records; never SQL text.
const (
	KindRead  = "read"
	KindWrite = "write"
	KindDDL   = "ddl"
	KindAdmin = "admin"
	KindOther = "other"
)

// AuditEntry is one recorded call: who, when, from where, what route and
// database, the statement kind, the rows it returned or changed, the
// outcome and how long it took. It never holds a key, a parameter value or
// SQL text.
type AuditEntry struct {
	Seq        int64
	Time       time.Time
	KeyID      string // "" when the gateway runs open
	KeyName    string // as given at creation
	RemoteAddr string
	Route      string // "METHOD /pattern", never the raw path
	Database   string
	Kind       string // read, write, ddl, admin, other or ""
	Rows       int64
	Status     int
	DurationMs float64
	// Count is how many calls the entry stands for: 1, or more for calls
	// without a valid key folded together (AuditUnauthenticated).
	Count int64
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Limit    int    // default 100, at most 10000
	Database string // "" for all
	// Databases, when not empty, keeps only entries on these databases:
	// entries on no database (key and audit calls, refused calls) are left
	// out too. It bounds what a scoped admin key reads.
	Databases []string
	Key       string    // key id or name; "" for all
	Since     time.Time // zero for all
}

const auditSchema = `CREATE TABLE IF NOT EXISTS audit (
	seq         INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	key_id      TEXT NOT NULL,
	key_name    TEXT NOT NULL,
	remote      TEXT NOT NULL,
	route       TEXT NOT NULL,
	db          TEXT NOT NULL,
	kind        TEXT NOT NULL,
	rows        INTEGER NOT NULL,
	status      INTEGER NOT NULL,
	duration_us INTEGER NOT NULL,
	count       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at)`

// auditAddCount brings a catalog made before entries had a count up to date.
const auditAddCount = `ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1`

// auditKeep is true for the entries retention deletes last: admin actions,
// i.e. successful calls that change something on the admin plane (spawn,
// prune, delete, backup, restore, key creation and revocation). Only admin
// keys can make them, so no one else can flood the log with them.
const auditKeep = `(kind = 'admin' AND status < 400 AND route NOT LIKE 'GET %')`

// auditLog queues entries in memory and writes them in batches from one
// goroutine, so recording never waits on the disk. A full queue drops the
// entry and counts it.
type auditLog struct {
	db      *sql.DB
	queue   chan AuditEntry
	folds   folds // calls without a valid key, waiting to be written as one entry each
	dropped atomic.Int64
	written atomic.Int64
	maxRows int64
	maxAge  time.Duration
	stopped atomic.Bool
	done    chan struct{} // closed when the writer has drained and exited

	// inserts[i] is the INSERT of auditInsertRows(i) rows, prepared on
	// the catalog's driver connection insertsOn the first time a batch
	// needs it; only the writer goroutine uses them, and closes them when
	// it ends (closeInserts)
	inserts   [auditInserts]driver.Stmt
	insertsOn any
	named     []driver.NamedValue // a statement's arguments, reused
}

func openAudit(ctx context.Context, db *sql.DB, cfg *Config) (*auditLog, error) {
	if _, err := db.ExecContext(ctx, auditSchema); err != nil {
		return nil, err
	}
	if err := addColumnOnce(ctx, db, "audit", "count", auditAddCount); err != nil {
		return nil, err
	}
	a := &auditLog{
		db:      db,
		queue:   make(chan AuditEntry, orDefault(cfg.AuditQueue, defaultAuditQueue)),
		maxRows: int64(orDefault(cfg.AuditMaxRows, defaultAuditMaxRows)),
		maxAge:  cfg.AuditMaxAge,
		done:    make(chan struct{}),
	}
	if a.maxAge <= 0 {
		a.maxAge = defaultAuditMaxAge
	}
	return a, nil
}

func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// record queues an entry without blocking.
func (a *auditLog) record(en AuditEntry) {
	if a.stopped.Load() {
		a.dropped.Add(1)
		return
	}
	select {
	case a.queue <- en:
		return
	default:
	}
	// admin actions and refusals are what an investigation needs: they
	// wait for room (the caller's own request is slowed, nobody else's)
	if mustKeep(en) {
		t := time.NewTimer(auditKeepWait)
		defer t.Stop()
		select {
		case a.queue <- en:
			return
		case <-t.C:
		}
	}
	a.dropped.Add(1)
}

// auditKeepWait is how long an entry mustKeep waits for room in a full
// queue before it too is dropped (and counted).
const auditKeepWait = 5 * time.Second

// mustKeep tells the entries a full queue does not drop at once: admin
// actions and calls refused for their key's rights.
func mustKeep(en AuditEntry) bool {
	return en.Kind == KindAdmin || en.Status == 401 || en.Status == 403 // the gateway's status of a refused key
}

// run writes queued entries until stop is closed, then drains the queue.
func (a *auditLog) run(stop <-chan struct{}) {
	defer close(a.done)
	defer a.closeInserts() // before the catalog closes: Engine.Close waits for run
	prune := time.NewTicker(auditPruneEvery)
	defer prune.Stop()
	fold := time.NewTicker(auditFoldWindow)
	defer fold.Stop()
	a.prune(context.Background())
	batch := make([]AuditEntry, 0, auditBatch)
	linger := time.NewTimer(0)
	defer linger.Stop()
	for {
		select {
		case en := <-a.queue:
			batch = a.fill(append(batch[:0], en))
			a.write(batch)
			if len(batch) == auditBatch {
				continue // more are waiting: write them now, never sleep on a backlog
			}
			// few entries: let the next ones gather, one transaction per
			// linger period at most rather than one per request
			linger.Reset(auditLinger)
			select {
			case <-linger.C:
			case <-stop:
			}
		case <-fold.C:
			if batch = a.folds.take(batch[:0]); len(batch) > 0 {
				a.write(batch)
			}
		case <-prune.C:
			a.prune(context.Background())
		case <-stop:
			a.stopped.Store(true)
			if batch = a.folds.take(batch[:0]); len(batch) > 0 {
				a.write(batch)
			}
			for {
				batch = a.fill(batch[:0])
				if len(batch) == 0 {
					return
				}
				a.write(batch)
			}
		}
	}
}

// fill adds whatever is already queued, up to one batch.
func (a *auditLog) fill(batch []AuditEntry) []AuditEntry {
	for len(batch) < auditBatch {
		select {
		case en := <-a.queue:
			batch = append(batch, en)
		default:
			return batch
		}
	}
	return batch
}

// write inserts a batch in one transaction; a failed batch counts as dropped.
func (a *auditLog) write(batch []AuditEntry) {
	if err := a.insert(context.Background(), batch); err != nil {
		a.dropped.Add(int64(len(batch)))
		return
	}
	a.written.Add(int64(len(batch)))
}

// insert writes a batch in one transaction, through the catalog's driver
// connection: database/sql would convert and copy a statement's 704
// arguments again on every call.
func (a *auditLog) insert(ctx context.Context, batch []AuditEntry) error {
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return a.insertOn(ctx, dc, batch) })
}

func (a *auditLog) insertOn(ctx context.Context, dc any, batch []AuditEntry) error {
	prep, canPrepare := dc.(driver.ConnPrepareContext)
	begin, canBegin := dc.(driver.ConnBeginTx)
	if !canPrepare || !canBegin {
		return errors.New("engine: the SQLite driver cannot prepare or begin on its connection")
	}
	if dc != a.insertsOn {
		// the pool replaced a broken connection: statements prepared on
		// the old one are not used again
		a.inserts, a.insertsOn = [auditInserts]driver.Stmt{}, dc
	}
	// a one-shot command writing one entry prepares only the one-row
	// INSERT (the 64-row one takes 0.5 ms)
	for i := range auditInserts {
		if n := auditInsertRows(i); a.inserts[i] == nil && len(batch) >= n {
			stmt, err := prep.PrepareContext(ctx, auditInsert(n))
			if err != nil {
				return err
			}
			a.inserts[i] = stmt
		}
	}
	tx, err := begin.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tx.Rollback()
		}
	}()
	// multi-row statements: the per-statement cost, not SQLite's insert,
	// dominates a row this small; a batch is written by the largest that
	// fit, so its tail takes a few statements rather than one per row
	var texts boxedTexts
	for i := range auditInserts {
		n := auditInsertRows(i)
		if len(batch) < n {
			continue
		}
		stmt, ok := a.inserts[i].(driver.StmtExecContext)
		if !ok {
			return errors.New("engine: the SQLite driver's statement cannot run with a context")
		}
		for len(batch) >= n {
			named := a.named[:0]
			for _, en := range batch[:n] {
				named = appendAuditRow(named, en, &texts)
			}
			a.named = named
			if _, err := stmt.ExecContext(ctx, named); err != nil {
				return err
			}
			batch = batch[n:]
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	done = true
	return nil
}

// appendAuditRow appends an entry's values in the INSERT's column order.
func appendAuditRow(named []driver.NamedValue, en AuditEntry, texts *boxedTexts) []driver.NamedValue {
	for _, v := range [auditColumns]driver.Value{en.Time.UnixNano(), texts.box(0, en.KeyID), texts.box(1, en.KeyName),
		texts.box(2, en.RemoteAddr), texts.box(3, en.Route), texts.box(4, en.Database), texts.box(5, en.Kind),
		en.Rows, int64(en.Status), int64(en.DurationMs * 1000), max(en.Count, 1)} {
		named = append(named, driver.NamedValue{Ordinal: len(named) + 1, Value: v})
	}
	return named
}

// closeInserts closes the prepared INSERTs on the connection they were
// prepared on.
func (a *auditLog) closeInserts() {
	if a.insertsOn == nil {
		return
	}
	conn, err := a.db.Conn(context.Background())
	if err != nil {
		return
	}
	defer conn.Close()
	conn.Raw(func(dc any) error {
		if dc == a.insertsOn {
			for _, st := range a.inserts {
				if st != nil {
					st.Close()
				}
			}
		}
		return nil
	})
	a.inserts, a.insertsOn = [auditInserts]driver.Stmt{}, nil
}

// boxedTexts keeps the last value of each text column as the interface
// value the INSERT's arguments hold: consecutive entries mostly share their
// key, source, route, database and kind, so each is boxed once per run of
// equal values rather than once per row.
type boxedTexts struct {
	last  [6]string
	boxed [6]any
}

func (b *boxedTexts) box(col int, s string) any {
	if b.boxed[col] == nil || b.last[col] != s {
		b.last[col], b.boxed[col] = s, s
	}
	return b.boxed[col]
}

const (
	auditColumns = 11
	auditInserts = 4 // prepared INSERTs, of 64, 16, 4 and 1 rows
)

// auditInsertRows is the row count of prepared INSERT i: largest first,
// the last of one row.
func auditInsertRows(i int) int { return 64 >> (2 * i) }

// auditInsert is the INSERT of n audit rows.
func auditInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit(at, key_id, key_name, remote, route, db, kind, rows, status, duration_us, count) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?)")
	}
	return b.String()
}

// prune applies retention: entries older than maxAge are deleted; past
// maxRows the oldest ordinary entries go first, and admin actions
// (auditKeep) only when they alone exceed maxRows.
func (a *auditLog) prune(ctx context.Context) error {
	cutoff := time.Now().Add(-a.maxAge).UnixNano()
	if _, err := a.db.ExecContext(ctx, `DELETE FROM audit WHERE at < ?`, cutoff); err != nil {
		return err
	}
	for _, which := range []string{`NOT ` + auditKeep, `1`} {
		_, err := a.db.ExecContext(ctx, `DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE `+which+
			` ORDER BY seq LIMIT max(0, (SELECT count(*) FROM audit) - ?))`, a.maxRows)
		if err != nil {
			return err
		}
	}
	return nil
}

// Audit records one call in the audit log. It never blocks: when the queue
// is full the entry is dropped and counted (AuditStats).
func (e *Engine) Audit(en AuditEntry) {
	if en.Time.IsZero() {
		en.Time = time.Now()
	}
	e.sec.audit.record(en)
}

// AuditUnauthenticated records a call that presented no valid key (a
// missing or wrong key). Such calls cost an attacker nothing, so they are
// folded: one entry per source, route, database and status per second,
// with Count saying how many calls it stands for. A flood of them adds a
// bounded number of rows and never fills the queue that other entries use.
func (e *Engine) AuditUnauthenticated(en AuditEntry) {
	if en.Time.IsZero() {
		en.Time = time.Now()
	}
	if e.sec.audit.stopped.Load() {
		e.sec.audit.dropped.Add(1)
		return
	}
	e.sec.audit.folds.add(en)
}

// AuditStats reports how many entries were written and dropped since Open.
func (e *Engine) AuditStats() (written, dropped int64) {
	return e.sec.audit.written.Load(), e.sec.audit.dropped.Load()
}

// AuditLog returns entries matching f, newest first.
func (e *Engine) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if e.isClosed() {
		return nil, ErrClosed
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	if f.Limit > maxAuditList {
		f.Limit = maxAuditList
	}
	var where []string
	var args []any
	if f.Database != "" {
		where, args = append(where, "db = ?"), append(args, f.Database)
	}
	if len(f.Databases) > 0 {
		where = append(where, "db IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Databases)), ",")+")")
		for _, d := range f.Databases {
			args = append(args, d)
		}
	}
	if f.Key != "" {
		where, args = append(where, "(key_id = ? OR key_name = ?)"), append(args, f.Key, f.Key)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.Since.UnixNano())
	}
	q := `SELECT seq, at, key_id, key_name, remote, route, db, kind, rows, status, duration_us, count FROM audit`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := e.sec.audit.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var en AuditEntry
		var at, us int64
		if err := rows.Scan(&en.Seq, &at, &en.KeyID, &en.KeyName, &en.RemoteAddr, &en.Route, &en.Database,
			&en.Kind, &en.Rows, &en.Status, &us, &en.Count); err != nil {
			return nil, err
		}
		en.Time = time.Unix(0, at).UTC()
		en.DurationMs = float64(us) / 1000
		out = append(out, en)
	}
	return out, rows.Err()
}

// foldKey is what folded entries share.
type foldKey struct {
	remote, route, db string
	status            int
}

// folds gathers calls without a valid key between two writes of the audit
// writer, one entry per foldKey, at most auditMaxFolds of them; further
// distinct calls are counted in one overflow entry (remote and route "*").
type folds struct {
	mu      sync.Mutex
	pending map[foldKey]*AuditEntry
}

func (f *folds) add(en AuditEntry) {
	k := foldKey{en.RemoteAddr, en.Route, en.Database, en.Status}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pending == nil {
		f.pending = map[foldKey]*AuditEntry{}
	}
	if len(f.pending) >= auditMaxFolds && f.pending[k] == nil {
		k = foldKey{"*", "*", "", en.Status}
		en.RemoteAddr, en.Route, en.Database = "*", "*", ""
	}
	if p := f.pending[k]; p != nil {
		p.Count++
		return
	}
	en.Count = 1
	f.pending[k] = &en
}

// take appends the gathered entries to batch, oldest first, and starts
// the next window.
func (f *folds) take(batch []AuditEntry) []AuditEntry {
	f.mu.Lock()
	pending := f.pending
	f.pending = nil
	f.mu.Unlock()
	start := len(batch)
	for _, en := range pending {
		batch = append(batch, *en)
	}
	sort.Slice(batch[start:], func(i, j int) bool { return batch[start+i].Time.Before(batch[start+j].Time) })
	return batch
}

// addColumnOnce runs alter unless table already has column.
func addColumnOnce(ctx context.Context, db *sql.DB, table, column, alter string) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, alter); err != nil && !strings.Contains(err.Error(), "duplicate column") {
		return err // not another process adding it at the same moment
	}
	return nil
}
