package client

import "github.com/dbforge/dbforge/internal/dbname"

// MaxDatabaseNameLen is the longest database name a DB-Forge gateway
// accepts.
const MaxDatabaseNameLen = dbname.MaxLen

// ValidateDatabaseName checks a database name by the contract's rule
// (^[A-Za-z0-9][A-Za-z0-9_.-]*$, at most MaxDatabaseNameLen characters),
// the very check the gateway makes, so a caller can say what is wrong
// before sending anything. The error is worded for a person.
func ValidateDatabaseName(s string) error { return dbname.Check(s) }
