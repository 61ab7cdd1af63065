package client

import "time"

// Roles an API key can have.
const (
	RoleAdmin     = "admin"     // everything
	RoleReadWrite = "readwrite" // the data plane, reading and writing
	RoleReadOnly  = "readonly"  // statements that do not write
)

// APIKey is a key record as the gateway lists it; the key itself is never
// part of it.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Databases  []string   `json:"databases"` // empty: every database
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// NewKey is what CreateKey needs. Databases scopes the key; empty means
// every database.
type NewKey struct {
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Databases []string `json:"databases"`
}

// CreatedKey is the answer of CreateKey: the record and, in Key, the
// plaintext key, which the gateway shows only this once.
type CreatedKey struct {
	Message string `json:"message"`
	Key     string `json:"key"`
	APIKey
}

// RevokedKey is the answer of RevokeKey.
type RevokedKey struct {
	Message string `json:"message"`
	APIKey
}

// AuditQuery selects audit entries. Zero fields do not filter; Limit 0 is
// the gateway's default (100).
type AuditQuery struct {
	Limit    int       // at most 10000
	Database string    // only calls on this database
	Key      string    // only calls made with this key (id or name)
	Since    time.Time // only calls at or after this time
}

// AuditEntry is one audited call: who, when, which route and database,
// what kind of statement, and the outcome. It never holds SQL text,
// parameters or keys.
type AuditEntry struct {
	ID         int64     `json:"id"`
	Time       time.Time `json:"time"`
	KeyID      string    `json:"key_id"` // "" when the gateway runs open
	KeyName    string    `json:"key_name"`
	RemoteAddr string    `json:"remote_addr"`
	Route      string    `json:"route"` // "METHOD /pattern"
	Database   string    `json:"database"`
	Kind       string    `json:"kind"` // read, write, ddl, admin, other
	Rows       int64     `json:"rows"`
	Status     int       `json:"status"`
	DurationMs float64   `json:"duration_ms"`
	// Count is how many calls the entry stands for: 1, or more for calls
	// without a valid key folded together.
	Count int64 `json:"count"`
}

// AuditLog is the answer of Audit: entries newest first, and how many
// entries the gateway has written and dropped (queue full) since it
// started.
type AuditLog struct {
	Entries []AuditEntry `json:"entries"`
	Written int64        `json:"written"`
	Dropped int64        `json:"dropped"`
}
