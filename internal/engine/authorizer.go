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
// Every call must find its connection exactly as the engine opened it,
// whatever earlier calls did: connections are shared by all keys. So no
// call may leave anything behind on a connection:
//   - temporary objects (TEMP tables, views, triggers, indexes, virtual
//     tables in temp) are refused on every connection: a temp table
//     shadows the main table of the same name for every later statement,
//     a temp trigger rewrites later writes, and temp data lives outside the
//     data directory and the size quota;
//   - on readers every pragma that sets something is refused; on the
//     writer only the pragmas that change the database file itself or act
//     once and keep nothing (writesFilePragma) may set, so foreign_keys,
//     ignore_check_constraints, recursive_triggers, cache_size,
//     wal_autocheckpoint, the quota (max_page_count), journal_mode and
//     every other session setting stay as opened. While the engine runs a
//     script in its own transaction (imports), the two pragmas whose effect
//     ends with that transaction are allowed too (txScopedPragma);
//   - PRAGMA database_list (and pragma_database_list) is hidden: it shows
//     the database's path on the host.
//
// ATTACH is refused everywhere by an attach limit of 0 (conns.go); the
// writer also refuses ATTACH of a named file, which is how VACUUM INTO
// writes a copy anywhere on disk. A reader's refusal comes back as
// SQLITE_AUTH, which the engine treats like SQLITE_READONLY (the statement
// moves to the writer, or fails with ErrReadOnly for read-only callers).

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

// writesFilePragma reports the pragmas a writing caller may set on the
// writer: they change the database file itself (and so belong to its
// data, like an INSERT) or do their work once and leave no setting behind.
func writesFilePragma(name string) bool {
	switch strings.ToLower(name) {
	case "user_version", "application_id", "wal_checkpoint", "incremental_vacuum", "optimize", "shrink_memory":
		return true
	}
	return false
}

// txScopedPragma reports pragmas whose setting ends with the transaction
// it is made in (defer_foreign_keys) or that do nothing inside one
// (foreign_keys): harmless in a script the engine runs in one transaction.
func txScopedPragma(name string) bool {
	switch strings.ToLower(name) {
	case "foreign_keys", "defer_foreign_keys":
		return true
	}
	return false
}

// isTempObject reports actions that create an object in the temp schema.
func isTempObject(action sqlite.AuthorizerActionCode, database string) bool {
	switch action {
	case sqlite.AuthCreateTempTable, sqlite.AuthCreateTempTrigger, sqlite.AuthCreateTempView, sqlite.AuthCreateTempIndex:
		return true
	case sqlite.AuthCreateTable, sqlite.AuthCreateTrigger, sqlite.AuthCreateView, sqlite.AuthCreateIndex, sqlite.AuthCreateVTable:
		// CREATE TABLE temp.x names the schema instead of saying TEMP
		return strings.EqualFold(database, "temp")
	}
	return false
}

// hiddenPragma reports pragmas that reveal the host (file paths). SQLite
// answers them with no rows when the authorizer says ignore.
func hiddenPragma(name string) bool { return strings.EqualFold(name, "database_list") }

// readerAuthorizer is the policy of read connections.
func readerAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, database, _ string) sqlite.AuthorizerReturnCode {
	// ATTACH is left to the attach limit of 0, whose error says why
	switch {
	case isTempObject(action, database):
		return sqlite.AuthorizerDeny
	case action != sqlite.AuthPragma:
		return sqlite.AuthorizerOK
	case hiddenPragma(arg1):
		return sqlite.AuthorizerIgnore
	case arg2 != "" && !isQueryPragma(arg1):
		return sqlite.AuthorizerDeny
	}
	return sqlite.AuthorizerOK
}

// changesSchema reports actions after which a statement's result may have
// other columns (a view or table redefined).
func changesSchema(action sqlite.AuthorizerActionCode) bool {
	switch action {
	case sqlite.AuthCreateTable, sqlite.AuthCreateView, sqlite.AuthCreateIndex, sqlite.AuthCreateTrigger,
		sqlite.AuthCreateVTable, sqlite.AuthDropTable, sqlite.AuthDropView, sqlite.AuthDropIndex,
		sqlite.AuthDropTrigger, sqlite.AuthDropVTable, sqlite.AuthAlterTable:
		return true
	}
	return false
}

// writerPolicy returns the policy of the writer; inScript reports whether
// the engine is running a script in its own transaction on it, and
// schemaChanged is told of every statement that may change the schema.
func writerPolicy(inScript func() bool, schemaChanged func()) sqlite.AuthorizerFn {
	return func(action sqlite.AuthorizerActionCode, arg1, arg2, database, _ string) sqlite.AuthorizerReturnCode {
		if changesSchema(action) {
			schemaChanged()
		}
		switch {
		case isTempObject(action, database):
			return sqlite.AuthorizerDeny
		case action == sqlite.AuthAttach:
			// VACUUM lifts the attach limit for its internal ATTACH: plain
			// VACUUM attaches an unnamed temporary database, VACUUM INTO a file
			if arg1 != "" {
				return sqlite.AuthorizerDeny
			}
		case action != sqlite.AuthPragma:
			return sqlite.AuthorizerOK
		case hiddenPragma(arg1):
			return sqlite.AuthorizerIgnore
		case arg2 == "" || isQueryPragma(arg1):
			return sqlite.AuthorizerOK
		case strings.EqualFold(database, "temp"):
			return sqlite.AuthorizerDeny
		case writesFilePragma(arg1), txScopedPragma(arg1) && inScript():
			return sqlite.AuthorizerOK
		default:
			return sqlite.AuthorizerDeny
		}
		return sqlite.AuthorizerOK
	}
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
	bump := func() { c.schemaGen.Add(1) }
	if err := setAuthorizer(c.writer, writerPolicy(c.inScript.Load, bump)); err != nil {
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
