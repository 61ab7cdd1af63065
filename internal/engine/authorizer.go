package engine

import (
	"database/sql"
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// SQLite's authorizer is the second wall behind read-only connections and
// the attach limit: it sees every operation a statement compiles to, so
// what it refuses cannot be reached by any spelling of SQL (comments,
// quoting, WITH prefixes, EXPLAIN).
//
// ATTACH is refused everywhere by an attach limit of 0 (conns.go). On
// readers the authorizer refuses every pragma that sets something: such a pragma
// changes a pooled connection other calls reuse. The refusal comes back as
// SQLITE_AUTH, which the engine treats like SQLITE_READONLY (the statement
// moves to the writer, or fails with ErrReadOnly for read-only callers).
//
// On the writer it refuses the pragmas that would lift the engine's own
// guarantees (the size quota, WAL durability, schema integrity, read-only
// readers) and ATTACH of a named file, which is how VACUUM INTO writes a
// copy anywhere on disk.

// isQueryPragma reports pragmas that take an argument yet only read: a
// table or index name, or a row limit.
func isQueryPragma(name string) bool {
	switch strings.ToLower(name) {
	case "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list",
		"foreign_key_list", "foreign_key_check", "integrity_check", "quick_check":
		return true
	}
	return false
}

// isGuardedPragma reports pragmas callers may not set on the writer.
func isGuardedPragma(name string) bool {
	switch strings.ToLower(name) {
	case "writable_schema", "max_page_count", "journal_mode", "locking_mode", "synchronous",
		"query_only", "trusted_schema", "temp_store_directory", "data_store_directory",
		"mmap_size", "cell_size_check", "busy_timeout":
		return true
	}
	return false
}

// readerAuthorizer is the policy of read connections.
func readerAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	// ATTACH is left to the attach limit of 0, whose error says why
	if action == sqlite.AuthPragma && arg2 != "" && !isQueryPragma(arg1) {
		return sqlite.AuthorizerDeny
	}
	return sqlite.AuthorizerOK
}

// writerAuthorizer is the policy of the writer.
func writerAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthAttach:
		// VACUUM lifts the attach limit for its internal ATTACH: plain
		// VACUUM attaches an unnamed temporary database, VACUUM INTO a file
		if arg1 != "" {
			return sqlite.AuthorizerDeny
		}
	case sqlite.AuthPragma:
		if arg2 != "" && isGuardedPragma(arg1) {
			return sqlite.AuthorizerDeny
		}
	}
	return sqlite.AuthorizerOK
}

// setAuthorizer installs fn on the physical connection behind c.
func setAuthorizer(c *sql.Conn, fn sqlite.AuthorizerFn) error {
	return c.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("engine: the SQLite driver has no authorizer")
		}
		return r.RegisterAuthorizer(fn)
	})
}

// guard installs the authorizers on an opened instance's connections; the
// engine's own setup pragmas have run by then.
func (c *conns) guard() error {
	if err := setAuthorizer(c.writer, writerAuthorizer); err != nil {
		return err
	}
	n := len(c.readers)
	for range n {
		rc := <-c.readers
		err := setAuthorizer(rc, readerAuthorizer)
		c.readers <- rc
		if err != nil {
			return err
		}
	}
	return nil
}
