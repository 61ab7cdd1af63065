package engine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errTooBig carries SQLite's own text for a value past SQLITE_LIMIT_LENGTH,
// so mapErr treats a refusal by the engine's functions like SQLite's.
var errTooBig = errors.New("string or blob too large")

// newDriver is the SQLite driver of one engine's databases: modernc's, with
// randomblob() replaced by one that checks its size before it allocates and
// does not hold SQLite's process-wide random-number lock while it fills
// the blob. SQLite's own takes that lock for the whole call (about 1.5 s
// for 64 MiB), so random() on every other database waited for it.
func newDriver(maxValueBytes int64) *sqlite.Driver {
	d := &sqlite.Driver{}
	d.MustRegisterScalarFunction("randomblob", 1, func(fc *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		n := sqlInt(args[0])
		if n > maxValueBytes || n > connValueLimit(fc, maxValueBytes) {
			return nil, errTooBig
		}
		b := make([]byte, max(n, 1)) // SQLite returns one byte for N < 1
		rand.Read(b)
		return b, nil
	})
	return d
}

// connValueLimit is SQLITE_LIMIT_LENGTH of the connection fc's call runs
// on, which the engine lowers while a statement runs (rowlimit.go,
// resultmem.go): SQLite checks a function's result against it only after
// the function has built it, so randomblob checks first. The driver has no
// accessor for the call's connection; its two fields are read by name, and
// should they ever change, fallback (the engine-wide limit) is used, and
// TestSmallFirstRunAllocatesLittle fails.
func connValueLimit(fc *sqlite.FunctionContext, fallback int64) int64 {
	if fc == nil {
		return fallback
	}
	v := reflect.ValueOf(fc).Elem()
	tlsField, ctxField := v.FieldByName("tls"), v.FieldByName("ctx")
	if !tlsField.IsValid() || tlsField.Type() != reflect.TypeFor[*libc.TLS]() ||
		!ctxField.IsValid() || ctxField.Kind() != reflect.Uintptr || ctxField.Uint() == 0 {
		return fallback
	}
	tls := (*libc.TLS)(tlsField.UnsafePointer())
	if tls == nil {
		return fallback
	}
	db := sqlite3.Xsqlite3_context_db_handle(tls, uintptr(ctxField.Uint()))
	if db == 0 {
		return fallback
	}
	return int64(sqlite3.Xsqlite3_limit(tls, db, sqlite3.SQLITE_LIMIT_LENGTH, -1))
}

// driverHandle returns a driver connection's sqlite3 handle and the TLS
// its calls run on, for the C API the driver has no accessor for
// (sqlite3_interrupt, sqlite3_db_config). Its two fields are read by name;
// should they ever change, it returns 0 and nil and the callers fall back
// (TestInterrupterFindsHandle and TestCatalogCloseKeepsSmallWAL fail).
func driverHandle(dc any) (db uintptr, tls *libc.TLS) {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return 0, nil
	}
	v = v.Elem()
	dbField, tlsField := v.FieldByName("db"), v.FieldByName("tls")
	if !dbField.IsValid() || dbField.Kind() != reflect.Uintptr ||
		!tlsField.IsValid() || tlsField.Type() != reflect.TypeFor[*libc.TLS]() {
		return 0, nil
	}
	return uintptr(dbField.Uint()), (*libc.TLS)(tlsField.UnsafePointer())
}

// sqlInt converts a function argument to an integer the way SQLite does
// for randomblob(N): numbers are truncated, text is read as a number,
// anything else is 0.
func sqlInt(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		if x >= 1<<62 {
			return 1 << 62
		}
		return int64(x)
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return sqlInt(f)
		}
	}
	return 0
}

// connector opens connections of one DSN through an engine's driver.
type connector struct {
	drv *sqlite.Driver
	dsn string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// openDB is sql.Open for an engine's driver.
func openDB(drv *sqlite.Driver, dsn string) *sql.DB { return sql.OpenDB(connector{drv, dsn}) }

// plainDriver opens files the engine only checks or settles (backups being
// restored), outside any instance.
func plainDriver() *sqlite.Driver { return &sqlite.Driver{} }
