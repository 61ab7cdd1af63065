package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// msgRefused explains an authorizer refusal (authorizer.go).
const msgRefused = " (refused: a call may not leave temporary objects or changed settings on the shared connection, nor reach outside its database)"

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isReadOnly reports whether SQLite refused err's statement because the
// connection is read-only, or because a reader's authorizer refused it
// (authorizer.go): either way the statement must run on the writer.
func isReadOnly(err error) bool {
	code := sqliteCode(err)
	return code == sqlite3.SQLITE_READONLY || code == sqlite3.SQLITE_AUTH
}

// mapErr turns a driver error into one of the engine's typed errors. ctx is
// the statement's context (with the query timeout).
func mapErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if isEngineErr(err) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			return ErrTimeout
		}
		return cerr
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		msg := cleanMessage(se.Error())
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w (%s)", ErrLocked, msg)
		case sqlite3.SQLITE_FULL:
			// the writer tells a quota apart (conns.full)
			return fmt.Errorf("%w (%s)", ErrStorageFull, msg)
		case sqlite3.SQLITE_INTERRUPT:
			return ErrTimeout
		case sqlite3.SQLITE_TOOBIG:
			return &TooLargeError{}
		case sqlite3.SQLITE_ERROR:
			if msg == errTooBig.Error() {
				return &TooLargeError{}
			}
		case sqlite3.SQLITE_AUTH:
			return &SQLError{Msg: msg + msgRefused}
		case sqlite3.SQLITE_CANTOPEN:
			if outOfFiles(err) { // a reader's WAL opened at its first read
				return fmt.Errorf("%w (%s)", ErrTooManyOpen, msg)
			}
		}
		return &SQLError{Msg: msg}
	}
	if errors.Is(err, sql.ErrConnDone) {
		return ErrStopped
	}
	return &SQLError{Msg: cleanMessage(err.Error())}
}

// cleanMessage strips the driver's decoration from a SQLite message:
// "SQL logic error: no such table: x (1)" → "no such table: x".
func cleanMessage(s string) string {
	s = strings.TrimSuffix(s, " (SQLITE_BUSY)")
	if i := strings.LastIndex(s, " ("); i >= 0 && strings.HasSuffix(s, ")") && isDigits(s[i+2:len(s)-1]) {
		s = s[:i]
	}
	// SQLite's generic code texts ("SQL logic error", "constraint failed",
	// …) hold no colon, so the first ": " ends the prefix when there is one.
	if i := strings.Index(s, ": "); i >= 0 && !strings.ContainsAny(s[:i], `:"'`) && isGenericPrefix(s[:i]) {
		s = s[i+2:]
	}
	return strings.TrimPrefix(s, "sqlite: ")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isGenericPrefix reports whether s is a sqlite3_errstr text, which the
// driver puts before SQLite's own message.
func isGenericPrefix(s string) bool {
	switch s {
	case "SQL logic error", "constraint failed", "database is locked", "database table is locked",
		"attempt to write a readonly database", "interrupted", "database or disk is full",
		"unable to open database file", "datatype mismatch", "bad parameter or other API misuse",
		"column index out of range", "file is not a database", "string or blob too large",
		"out of memory", "disk I/O error", "database disk image is malformed", "authorization denied",
		"query aborted", "internal logic error", "access permission denied", "database schema has changed",
		"large file support is disabled", "locking protocol", "unknown operation", "not an error",
		"auxiliary database format error", "notification message", "warning message",
		"another row available", "no more rows available":
		return true
	}
	return false
}

// isEngineErr reports errors that are already the engine's own.
func isEngineErr(err error) bool {
	var se *SQLError
	var be *BadInputError
	var tl *TooLargeError
	if errors.As(err, &se) || errors.As(err, &be) || errors.As(err, &tl) {
		return true
	}
	for _, t := range []error{ErrStopped, ErrLocked, ErrTimeout, ErrQuotaExceeded, ErrStorageFull, ErrReadOnly, ErrClosed, ErrNotFound, ErrServerBusy} {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
