package client

import "time"

// Database is one entry of GET /admin/databases, in the wire's field order.
// The extension fields are zero against an MK1 gateway.
type Database struct {
	Name         string    `json:"name"`
	ID           string    `json:"container_id"` // stable id; the wire keeps MK1's name
	Backend      string    `json:"backend"`
	Status       string    `json:"status"` // "running" or "stopped"
	CreatedAt    time.Time `json:"created_at,omitzero"`
	LastAccessed time.Time `json:"last_accessed,omitzero"`
	ReadOnly     bool      `json:"read_only"`
	SizeBytes    int64     `json:"size_bytes"` // main file + WAL
}

// DatabaseDetails is GET /admin/databases/{db}.
type DatabaseDetails struct {
	Database
	Tables      []TableCount `json:"tables"`
	Indexes     []IndexRef   `json:"indexes"`
	PageSize    int64        `json:"page_size"`
	PageCount   int64        `json:"page_count"`
	JournalMode string       `json:"journal_mode"`
	WALBytes    int64        `json:"wal_bytes"`
}

// TableCount is a table name with its row count.
type TableCount struct {
	Name     string `json:"name"`
	RowCount int64  `json:"row_count"`
}

// IndexRef names an index and the table it belongs to.
type IndexRef struct {
	Name  string `json:"name"`
	Table string `json:"table"`
}

// Backends a gateway may offer for new databases (SpawnOptions.Backend).
const (
	BackendSQLite   = "sqlite"
	BackendPostgres = "postgres"
)

// Backends lists the backend names a client may ask for, default first.
// Which of them a gateway has is its own answer: it refuses the others
// with a 400 naming what it has.
func Backends() []string { return []string{BackendSQLite, BackendPostgres} }

// SpawnResult is the answer to POST /admin/databases/spawn/{db}.
type SpawnResult struct {
	Message string `json:"message"`
	DBName  string `json:"db_name"`
	ID      string `json:"container_id"` // stable id; the wire keeps MK1's name
	Status  string `json:"status"`       // "running" (DB-Forge extension; "" from MK1)
	Backend string `json:"backend"`      // "sqlite" (DB-Forge extension; "" from MK1)
	// Restarted is true when a pruned database was started again with its
	// data (DB-Forge extension; MK1 never sends it).
	Restarted bool `json:"restarted"`
	// Created is true when the database did not exist before. It is read
	// from the message, not the status: MK1 answers 201 even for a database
	// that already exists.
	Created bool `json:"-"`
}

// MK1's spawn messages, which its clients match literally.
const (
	MessageSpawned       = "Database instance spawned successfully."
	MessageAlreadyExists = "Database instance already exists and is running."
)

// MessageResult is a plain {"message": ...} answer, with the database it
// is about (delete, prune) and, after a prune, its status ("stopped").
type MessageResult struct {
	DBName  string `json:"db_name,omitempty"`
	Message string `json:"message"`
	Status  string `json:"status,omitempty"`
}

// InsertResult is the answer of POST /api/db/{db}/tables/{table}/rows.
type InsertResult struct {
	Message      string `json:"message"`
	RowsAffected int64  `json:"rows_affected"`
}

// DiscoveryEntry is one entry of GET /admin/discovery.
type DiscoveryEntry struct {
	DBName string `json:"db_name"`
	Status string `json:"status"`
}

// GatewayStats is GET /admin/gateway/stats, its fields in the wire's order.
type GatewayStats struct {
	ErrorsByType       map[string]int64 `json:"errors_by_type"`       // by status code
	RequestsByEndpoint map[string]int64 `json:"requests_by_endpoint"` // by route pattern
	TotalErrors        int64            `json:"total_errors"`
	TotalRequests      int64            `json:"total_requests"`
	UptimeSeconds      float64          `json:"uptime_seconds"`
}

// DatabaseStats is GET /admin/databases/{db}/stats.
type DatabaseStats struct {
	Name            string  `json:"name"`
	Status          string  `json:"status"`
	Backend         string  `json:"backend,omitempty"` // "sqlite", "postgres"; empty from older gateways
	UptimeSeconds   float64 `json:"uptime_seconds"`
	OpenConnections int     `json:"open_connections"`
	QueriesTotal    int64   `json:"queries_total"`
	ErrorsTotal     int64   `json:"errors_total"`
	RowsRead        int64   `json:"rows_read"`
	RowsWritten     int64   `json:"rows_written"`
	// TransactionsTotal counts the database's commits and rollbacks since
	// its server's statistics were reset (PostgreSQL only; 0 otherwise).
	// Transactions per second come from two samples' difference.
	TransactionsTotal int64     `json:"transactions_total,omitempty"`
	SizeBytes         int64     `json:"size_bytes"`
	WALBytes          int64     `json:"wal_bytes"`
	Latency           Latency   `json:"latency_ms"`
	Series            []Sample  `json:"series"`
	SampledAt         time.Time `json:"sampled_at,omitzero"`
}

// Latency percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
}

// Sample is one point of a database's health series.
type Sample struct {
	T      time.Time `json:"t"`
	QPS    float64   `json:"qps"`
	P95Ms  float64   `json:"p95_ms"`
	Errors int64     `json:"errors"`
}

// Health is GET /health, its fields in the wire's order.
type Health struct {
	Checks        map[string]string `json:"checks"`
	Databases     HealthCounts      `json:"databases"`
	Errors        []string          `json:"errors,omitempty"`
	Status        string            `json:"status"` // "healthy" or "unhealthy"
	UptimeSeconds float64           `json:"uptime_seconds"`
	Version       string            `json:"version"`
}

// HealthCounts counts instances by status.
type HealthCounts struct {
	Running int `json:"running"`
	Stopped int `json:"stopped"`
}

// QueryRequest is the body of POST /api/db/{db}/query. Params is either a
// []any (positional) or a map[string]any (named).
type QueryRequest struct {
	SQL    string `json:"sql"`
	Params any    `json:"params,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Shape  string `json:"shape,omitempty"` // "rows" for compact array rows
	// ReadOnly runs the statement on a connection SQLite keeps from writing;
	// a write is refused with a 403 (FORBIDDEN) and changes nothing. An MK1
	// gateway ignores it, so there only the caller's own checks apply.
	ReadOnly bool `json:"read_only,omitempty"`
}

// Column of a result, in result order.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// QueryResult is a statement's answer. For a statement that returns rows,
// Columns and Rows are set (Rows is always filled, in column order, whichever
// shape the server sent); otherwise Message, RowsAffected and LastInsertID.
//
// Row values are int64, float64, string, nil, or []byte for BLOBs.
type QueryResult struct {
	Columns         []Column `json:"columns,omitempty"`
	Rows            [][]any  `json:"rows,omitempty"`
	Message         string   `json:"message,omitempty"`
	RowsAffected    int64    `json:"rows_affected"`
	LastInsertID    int64    `json:"last_insert_id,omitempty"`
	RowCount        int      `json:"row_count,omitempty"`
	HasMore         bool     `json:"has_more,omitempty"`
	ExecutionTimeMS float64  `json:"execution_time_ms,omitempty"`
}

// Returning reports whether the statement returned a row set (even an
// empty one). Results decoded by the client always say so unambiguously: a
// row set has non-nil Columns and Rows (empty slices when there are none)
// and no Message; any other statement has a Message. A QueryResult built by
// hand counts as a row set when it has Columns or Rows, or no Message.
func (r *QueryResult) Returning() bool {
	return r.Columns != nil || r.Rows != nil || r.Message == ""
}

// ColumnDef describes a column for CreateTable.
type ColumnDef struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	PrimaryKey bool   `json:"primary_key,omitempty"`
	NotNull    bool   `json:"not_null,omitempty"`
	Default    any    `json:"default,omitempty"`
}

// Schema is GET /api/db/{db}/schema.
type Schema struct {
	Tables   []TableSchema `json:"tables"`
	Triggers []Trigger     `json:"triggers"`
}

// TableSchema describes one table or view.
type TableSchema struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"` // "table" or "view"
	SQL         string         `json:"sql"`
	RowCount    int64          `json:"row_count"`
	Columns     []ColumnSchema `json:"columns"`
	Indexes     []IndexSchema  `json:"indexes"`
	ForeignKeys []ForeignKey   `json:"foreign_keys"`
}

// ColumnSchema describes one column.
type ColumnSchema struct {
	Name       string  `json:"name"`
	Type       string  `json:"type"`
	NotNull    bool    `json:"not_null"`
	Default    *string `json:"default"`
	PrimaryKey bool    `json:"primary_key"`
}

// IndexSchema describes one index.
type IndexSchema struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique"`
	SQL     string   `json:"sql,omitempty"`
}

// ForeignKey describes one foreign key constraint.
type ForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
}

// Trigger describes one trigger.
type Trigger struct {
	Name  string `json:"name"`
	Table string `json:"table"`
	SQL   string `json:"sql"`
}

// PlanNode is one row of EXPLAIN QUERY PLAN; Parent 0 is the root.
type PlanNode struct {
	ID     int    `json:"id"`
	Parent int    `json:"parent"`
	Detail string `json:"detail"`
}

// Plan is the answer of POST /api/db/{db}/explain.
type Plan struct {
	Plan []PlanNode `json:"plan"`
}

// Capabilities says what the server behind a client can do. Against an MK1
// gateway only the MK1 routes exist and the client falls back where it can.
type Capabilities struct {
	Extended bool   `json:"extended"` // a DB-Forge gateway with the extension routes
	Version  string `json:"version,omitempty"`
}

// Missing names the DB-Forge features the gateway lacks, for a person: the
// ones whose methods answer ErrUnsupported. Nil for a DB-Forge gateway.
func (c Capabilities) Missing() []string {
	if c.Extended {
		return nil
	}
	return []string{"health checks", "metrics", "explain", "database details and stats", "delete",
		"export and import", "backups", "API keys", "audit log", "pruned databases in the list"}
}
