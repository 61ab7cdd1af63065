// Package engine owns DB-Forge's data directory: the catalog of database
// instances and one SQLite database per instance. It knows nothing of HTTP;
// the gateway maps its typed errors to status codes.
package engine

import (
	"errors"
	"fmt"
	"time"
)

// Backend names the storage engine of an instance. Only SQLite exists now;
// the field keeps room for others.
const BackendSQLite = "sqlite"

// Status is the lifecycle state of an instance.
type Status string

const (
	StatusRunning Status = "running"
	StatusStopped Status = "stopped"
)

// Config sets the engine's data directory and limits. Zero values take the
// defaults documented on each field.
type Config struct {
	DataDir        string        // required
	QueryTimeout   time.Duration // default 30s; a statement past it is interrupted
	DefaultLimit   int           // rows returned when a request names no limit; default MaxRows (all rows, as MK1)
	MaxRows        int           // hard cap on rows per call; default 100000
	MaxDatabases   int           // 0 = unlimited
	MaxDBSizeBytes int64         // per-database quota via max_page_count; 0 = unlimited
	ReaderPool     int           // read connections per database; default 4
	// MaxResultBytes bounds what one call may hold in memory: the rows of a
	// result past it are cut (HasMore), and a first row past it fails with
	// a *TooLargeError. It is also SQLite's limit on one string or blob
	// (SQLITE_LIMIT_LENGTH, at most 1e9), so no function call allocates
	// more. Default DefaultMaxResultBytes.
	MaxResultBytes int64
	// MaxResultMemory bounds the result budgets held at once by the whole
	// engine: a reader statement whose result needs more than 1 MiB waits
	// for one of MaxResultMemory / MaxResultBytes slots (at least one),
	// and fails with ErrResultMemoryBusy past its query timeout. Default
	// DefaultMaxResultMemory.
	MaxResultMemory int64

	SampleInterval time.Duration // health sample period; default 5s
	SampleCount    int           // samples kept in the ring buffer; default 120

	// TransferTimeout bounds an import (which holds the writer while it
	// reads the body), an export or a backup; default 10m.
	TransferTimeout time.Duration
	// BackupRetention is how many backups are kept per database; older ones
	// are deleted after each backup. Default 10.
	BackupRetention int

	// MaxConcurrent bounds the calls running at once on one database; past
	// it Enter fails with ErrTooManyQueries. 0 = unlimited.
	MaxConcurrent int
	// IdlePrune stops (prunes) running databases not accessed for this
	// long; their data is kept. 0 = never.
	IdlePrune time.Duration
	// AuditQueue is how many audit entries may wait for the writer before
	// new ones are dropped; default 8192.
	AuditQueue int
	// AuditMaxRows and AuditMaxAge bound the audit log: older entries are
	// deleted. Defaults 1,000,000 rows and 90 days.
	AuditMaxRows int
	AuditMaxAge  time.Duration

	// MaxOpen bounds the databases open at once: each is opened on its
	// first call, and opening one more past the bound closes the least
	// recently used one that no call holds. Default: derived from the
	// open-file limit (defaultMaxOpen).
	MaxOpen int
	// ReaderIdle is how long an open database keeps a reader nobody uses
	// before closing it; default 30s. Readers are opened on demand.
	ReaderIdle time.Duration

	// Backends are the storage engines spawn may name besides the built-in
	// SQLite (e.g. the PostgreSQL backend that serve builds from --postgres).
	Backends []Backend
}

// Instance is one catalog entry.
type Instance struct {
	Name         string
	ID           string // stable random hex id (MK1 called it container_id)
	Backend      string
	Status       Status
	CreatedAt    time.Time
	LastAccessed time.Time
	ReadOnly     bool
	SizeBytes    int64 // main file + WAL
}

// Details is an instance plus facts read from its database file.
type Details struct {
	Instance
	Tables      []TableCount
	Indexes     []IndexRef
	PageSize    int64
	PageCount   int64
	JournalMode string
	WALBytes    int64
}

type TableCount struct {
	Name     string
	RowCount int64
}

type IndexRef struct {
	Name  string
	Table string
}

// Stats is the per-database health the TUI draws.
type Stats struct {
	Name            string
	Status          Status
	UptimeSeconds   float64
	OpenConnections int
	QueriesTotal    int64
	ErrorsTotal     int64
	RowsRead        int64
	RowsWritten     int64
	SizeBytes       int64
	WALBytes        int64
	Latency         Latency
	Series          []Sample
	SampledAt       time.Time
	// Backend and TransactionsTotal (commits + rollbacks, from the
	// server's statistics) are set for backends other than SQLite.
	Backend           string
	TransactionsTotal int64
}

// Latency percentiles in milliseconds.
type Latency struct {
	P50 float64
	P95 float64
	P99 float64
}

// Sample is one point of the health ring buffer.
type Sample struct {
	T      time.Time
	QPS    float64
	P95Ms  float64
	Errors int64
}

// Query is one SQL statement with its parameters. Params binds positionally,
// Named by name (":name", "@name", "$name" or bare "name" all match).
// Param values are int64, float64, string, bool, []byte or nil.
type Query struct {
	SQL      string
	Params   []any
	Named    map[string]any
	Limit    int  // 0 = Config.DefaultLimit; capped at Config.MaxRows
	Offset   int  // rows skipped before the first returned
	ReadOnly bool // run on a connection that refuses writes (readonly keys)
	// HoldMemory keeps a large result's memory slot (Config.MaxResultMemory)
	// after Exec returns, until Result.Release: a caller that encodes the
	// result sets it so the encoding is counted too. Unset, the slot is
	// given back when Exec returns.
	HoldMemory bool
}

// Column of a result, in result order.
type Column struct {
	Name string
	Type string // declared type, or the storage class of the first value
}

// Result of one statement. Returning reports whether the prepared statement
// returns columns (SELECT, PRAGMA, RETURNING, …); then Columns/Rows/HasMore
// are set, else RowsAffected/LastInsertID.
//
// Row values are int64, float64, string, []byte or nil.
type Result struct {
	Returning    bool
	Columns      []Column
	Rows         [][]any
	HasMore      bool
	RowsAffected int64
	LastInsertID int64
	Elapsed      time.Duration
	// Kind is what the statement did as SQLite saw it, not as its text
	// reads: KindRead when it ran on a read-only connection, KindDDL when
	// the writer's authorizer saw it create, drop or alter a schema object,
	// else KindWrite.
	Kind string

	// timeParsed is set when the driver turned TEXT into time values (in
	// DATE/DATETIME/TIMESTAMP columns), so the text is no longer exact.
	timeParsed bool
	// cutByBytes is set when the rows stopped at the byte budget.
	cutByBytes bool
	// size is the rows' estimated JSON size, as the budget counts it.
	size int64
	// slot is the large-result slot held until Release (resultmem.go).
	slot *resultSlot
}

// ColumnDef describes a column for CreateTable (the MK1 tables route).
// Default is nil for none, or a literal (int64, float64, string, bool); the
// strings CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME keep their SQL meaning.
type ColumnDef struct {
	Name       string
	Type       string
	PrimaryKey bool
	NotNull    bool
	Default    any
	HasDefault bool // distinguishes an explicit null default from none
}

// Schema of a database (or of one table).
type Schema struct {
	Tables   []TableSchema
	Triggers []Trigger
}

type TableSchema struct {
	Name        string
	Type        string // "table" or "view"
	SQL         string
	RowCount    int64
	Columns     []ColumnSchema
	Indexes     []IndexSchema
	ForeignKeys []ForeignKey
}

type ColumnSchema struct {
	Name       string
	Type       string
	NotNull    bool
	Default    *string // the default's SQL text, nil when none
	PrimaryKey bool
}

type IndexSchema struct {
	Name    string
	Columns []string
	Unique  bool
	SQL     string
}

type ForeignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
}

type Trigger struct {
	Name  string
	Table string
	SQL   string
}

// PlanNode is one row of EXPLAIN QUERY PLAN; Parent 0 is the root.
type PlanNode struct {
	ID     int
	Parent int
	Detail string
}

// Typed errors. The gateway maps each to a status and code with errors.Is/As.
var (
	ErrInvalidName        = errors.New("invalid database name")
	ErrInvalidIdentifier  = errors.New("invalid identifier")
	ErrNotFound           = errors.New("database not found")
	ErrStopped            = errors.New("database is stopped")
	ErrExists             = errors.New("database already exists")
	ErrMultipleStatements = errors.New("only one statement per call")
	ErrEmptyStatement     = errors.New("no SQL statement given")
	ErrTimeout            = errors.New("query timed out")
	ErrLocked             = errors.New("database is locked")
	ErrTooManyDatabases   = errors.New("database limit reached")
	ErrQuotaExceeded      = errors.New("database size quota exceeded")
	ErrReadOnly           = errors.New("statement writes but the connection is read-only")
	ErrClosed             = errors.New("engine is closed")
	ErrResultTooLarge     = errors.New("result too large")
	ErrStorageFull        = errors.New("storage full")
	ErrDamaged            = errors.New("database file is damaged or not an SQLite database")
	// ErrServerBusy is a call refused for a shared resource that other
	// calls hold (ErrResultMemoryBusy, ErrTooManyOpen, ErrSessionsBusy):
	// the same call may succeed shortly.
	ErrServerBusy = errors.New("server busy")
	// ErrSessionsBusy is a call that found none of the sessions a backend
	// may hold on its database server free in time.
	ErrSessionsBusy = fmt.Errorf("%w: every database server session the gateway may open is in use", ErrServerBusy)
)

// DefaultMaxResultBytes is Config.MaxResultBytes when none is given.
const DefaultMaxResultBytes = 64 << 20

// TooLargeError is a result row or a single value past
// Config.MaxResultBytes. It matches ErrResultTooLarge.
type TooLargeError struct {
	Limit int64 // the budget in bytes; 0 when SQLite refused one value
}

func (e *TooLargeError) Error() string {
	if e.Limit == 0 {
		return "A string or blob is larger than the server's limit for one value: max_result_bytes, shared among the result's columns. Select fewer columns or smaller values; the statement was stopped."
	}
	return fmt.Sprintf("The first row of the result alone is larger than the result limit of %d bytes (max_result_bytes); select fewer or smaller columns.", e.Limit)
}

func (e *TooLargeError) Unwrap() error { return ErrResultTooLarge }

// SQLError carries SQLite's own message for a statement it rejected.
type SQLError struct {
	Msg  string
	Code string // the SQLSTATE, from backends that report one (PostgreSQL); "" for SQLite
}

func (e *SQLError) Error() string { return fmt.Sprintf("SQL Error: %s", e.Msg) }

// BadInputError is an invalid request the engine can explain (rows with
// different keys, no rows, a filter on an unknown column, …). Msg is shown
// to the caller as is.
type BadInputError struct {
	Msg string
}

func (e *BadInputError) Error() string { return e.Msg }
