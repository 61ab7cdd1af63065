package client

import "time"

// ImportCSVOptions tunes ImportCSV. The zero value (apart from Table)
// matches the gateway's defaults: the first line is a header and a
// missing table is created with inferred column types.
type ImportCSVOptions struct {
	Table     string // target table; required
	NoHeader  bool   // the first line is data: columns are named c1, c2, …
	NoCreate  bool   // fail when the table does not exist instead of creating it
	Delimiter rune   // field separator; 0 means ','
	// Null is the string that means NULL when unquoted; "" (the default)
	// makes an unquoted empty field NULL and "" the empty string.
	Null string
}

// ImportResult is the answer of a CSV import.
type ImportResult struct {
	Message      string   `json:"message"`
	Table        string   `json:"table"`
	RowsImported int64    `json:"rows_imported"`
	Created      bool     `json:"created"` // the table did not exist and was created
	Columns      []Column `json:"columns"` // the columns filled, with their declared types
}

// ScriptResult is the answer of a SQL script import.
type ScriptResult struct {
	Message      string `json:"message"`
	Statements   int    `json:"statements"`    // statements run
	RowsAffected int64  `json:"rows_affected"` // rows changed by the whole script
}

// BackupInfo describes one backup (snapshot) of a database. Names sort by
// age and are what Restore takes.
type BackupInfo struct {
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	SizeBytes int64     `json:"size_bytes"`
}

// BackupResult is the answer of Backup and Restore: the backup made or
// restored from.
type BackupResult struct {
	Message string `json:"message"`
	DBName  string `json:"db_name"`
	BackupInfo
}
