package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// timeoutGrace lets the server's statement_timeout fire before the client
// gives up on a call, so a slow statement ends with PostgreSQL's own
// cancellation and the connection stays usable.
const timeoutGrace = 2 * time.Second

// database is one open PostgreSQL database: a pool of owner sessions for
// calls that may write and one of read-only sessions.
type database struct {
	name      string // dbforge_<id>
	owner, ro *pgxpool.Pool
	sessions  *sessionBudget // both pools are under it
	lim       engine.Limits
	ownerDSN  string
	roDSN     string // the read-only role's: the SQL dump is a read
}

// Close closes both pools.
func (d *database) Close() error {
	d.sessions.remove(d.owner)
	d.sessions.remove(d.ro)
	d.owner.Close()
	d.ro.Close()
	return nil
}

// inTx runs fn in a transaction of its own under the query timeout: READ
// ONLY on the read-only role for readOnly calls, else on the owner.
// statement_timeout is SET LOCAL, so it ends with the transaction. wrote
// reports whether the transaction changed anything.
func (d *database) inTx(ctx context.Context, readOnly bool, timeout time.Duration, fn func(ctx context.Context, tx *pgx.Conn) error) (wrote bool, err error) {
	pool := d.owner
	if readOnly {
		pool = d.ro
	}
	return inTxOn(ctx, pool, readOnly, timeout, fn)
}

// inTxOn is inTx on a given pool. It takes three round trips: BEGIN with
// the timeout, fn's statements, then the write check with COMMIT.
func inTxOn(ctx context.Context, pool *pgxpool.Pool, readOnly bool, timeout time.Duration, fn func(ctx context.Context, tx *pgx.Conn) error) (wrote bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+timeoutGrace)
	defer cancel()
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return false, mapErr(ctx, err)
	}
	// a connection left inside a transaction (a failed ROLLBACK) is
	// destroyed by the pool, never handed to another call
	defer pc.Release()
	tx := pc.Conn()
	begin := "BEGIN READ WRITE"
	if readOnly {
		begin = "BEGIN READ ONLY"
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("%s; SET LOCAL statement_timeout = %d", begin, max(timeout.Milliseconds(), 1))); err != nil {
		return false, mapErr(ctx, err)
	}
	if err := fn(ctx, tx); err != nil {
		rollback(tx)
		return false, mapErr(ctx, err)
	}
	// a transaction id is assigned on the first write, whatever the
	// statement's text looks like (a SELECT calling a function that
	// writes, a CTE with DELETE)
	results, err := tx.PgConn().Exec(ctx, "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; COMMIT").ReadAll()
	if err != nil {
		rollback(tx)
		return false, mapErr(ctx, err)
	}
	if len(results) != 2 || results[1].CommandTag.String() != "COMMIT" {
		return false, errors.New("postgres: the transaction was rolled back")
	}
	return len(results[0].Rows) == 1 && string(results[0].Rows[0][0]) == "t", nil
}

// rollback ends a failed call's transaction, also after its context ended.
func rollback(tx *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tx.Exec(ctx, "ROLLBACK")
}

// Exec runs one statement in its own transaction. A query is paged
// inside PostgreSQL (wrapped in SELECT * FROM (…) LIMIT … OFFSET …), so
// rows past the window are never produced; one that cannot be wrapped
// (SELECT … INTO, a trailing comment after a semicolon, …) fails while
// being planned and runs as written, its extra rows read and dropped.
func (d *database) Exec(ctx context.Context, q engine.Query) (*engine.Result, error) {
	if err := refused(q.SQL); err != nil {
		return nil, err
	}
	text, args, err := bindParams(q.SQL, q.Params, q.Named)
	if err != nil {
		return nil, err
	}
	if wrapped, ok := windowed(text, q.Limit, q.Offset); ok {
		res, err := d.run(ctx, q, wrapped, args, 0)
		if !isPlanError(err) {
			return res, err
		}
	}
	return d.run(ctx, q, text, args, q.Offset)
}

// refused tells the statements a call may not run: COPY (it would wait for
// data the call does not send, or send rows the result cannot hold; the
// CSV routes stream them) and PREPARE TRANSACTION, which would take the
// call's transaction out of the session (and hold back vacuum server-wide).
func refused(text string) error {
	switch w := sqltext.Postgres.LeadingWords(text, 2); {
	case len(w) > 0 && w[0] == "COPY":
		return &engine.BadInputError{Msg: "COPY is not supported in a query; use the CSV import and export routes."}
	case len(w) == 2 && w[0] == "PREPARE" && w[1] == "TRANSACTION":
		return &engine.BadInputError{Msg: "PREPARE TRANSACTION is not supported: each call runs in its own transaction."}
	}
	return nil
}

// windowed wraps a query in its result window.
func windowed(text string, limit, offset int) (string, bool) {
	st := sqltext.Postgres.Split(text)
	if len(st) == 0 {
		return "", false
	}
	switch st[0].Keyword() {
	case "SELECT", "VALUES", "TABLE":
	default:
		return "", false
	}
	body := strings.TrimRight(strings.TrimSpace(text), ";")
	return fmt.Sprintf("SELECT * FROM (%s\n) AS dbforge_window LIMIT %d OFFSET %d", body, limit+1, offset), true
}

// isPlanError tells an error raised while a statement is parsed or planned
// (syntax or access rule, feature not supported), before anything ran.
func isPlanError(err error) bool {
	var se *engine.SQLError
	if !errors.As(err, &se) {
		return false
	}
	return se.Code != "" && (strings.HasPrefix(se.Code, "42") || strings.HasPrefix(se.Code, "0A"))
}

// run runs text in a transaction and reads its window, skipping skip rows.
func (d *database) run(ctx context.Context, q engine.Query, text string, args []any, skip int) (*engine.Result, error) {
	var res *engine.Result
	var tag pgconn.CommandTag
	wrote, err := d.inTx(ctx, q.ReadOnly, d.lim.QueryTimeout, func(ctx context.Context, tx *pgx.Conn) error {
		return d.guardQuota(ctx, tx, q.ReadOnly, func() error {
			rows, err := tx.Query(ctx, text, append([]any{pgx.QueryResultFormats{pgx.TextFormatCode}}, args...)...)
			if err != nil {
				return err
			}
			res, err = collect(rows, tx.TypeMap(), q.Limit, skip, d.lim.MaxResultBytes)
			tag = rows.CommandTag()
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	res.Kind = kindOf(tag, wrote, q.ReadOnly)
	if res.Kind != engine.KindRead || !res.Returning {
		res.RowsAffected = tag.RowsAffected()
	}
	return res, nil
}

// kindOf names what a statement did from its command tag.
func kindOf(tag pgconn.CommandTag, wrote, readOnly bool) string {
	if readOnly {
		return engine.KindRead
	}
	word, _, _ := strings.Cut(tag.String(), " ")
	switch word {
	case "CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "REINDEX", "SECURITY", "IMPORT":
		return engine.KindDDL
	case "SELECT", "SHOW", "EXPLAIN", "FETCH", "TABLE", "VALUES":
		if wrote {
			return engine.KindWrite
		}
		return engine.KindRead
	}
	return engine.KindWrite
}

// guardQuota runs fn and refuses (rolls back) what it did when the
// database grew past the size quota. A statement that does not grow it
// (a DELETE, an UPDATE in place) is let through, so a full database can
// be cleaned up.
func (d *database) guardQuota(ctx context.Context, tx *pgx.Conn, readOnly bool, fn func() error) error {
	limit := d.lim.MaxDBSizeBytes
	if limit <= 0 || readOnly {
		return fn()
	}
	before, err := dbSize(ctx, tx)
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	after, err := dbSize(ctx, tx)
	if err != nil {
		return err
	}
	if after > limit && after > before {
		return engine.ErrQuotaExceeded
	}
	return nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func dbSize(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
	return n, err
}

// Size is pg_database_size of the database.
func (d *database) Size(ctx context.Context) (int64, error) {
	n, err := dbSize(ctx, d.owner)
	return n, mapErr(ctx, err)
}

// Stats reads pg_stat_database: sessions open on the database and
// transactions committed or rolled back.
func (d *database) Stats(ctx context.Context) (engine.BackendStats, error) {
	var st engine.BackendStats
	err := d.owner.QueryRow(ctx, `SELECT numbackends, xact_commit + xact_rollback, pg_database_size(datname)
		FROM pg_stat_database WHERE datname = current_database()`).Scan(&st.Connections, &st.Transactions, &st.SizeBytes)
	return st, mapErr(ctx, err)
}

// mapErr turns PostgreSQL's errors into the engine's typed errors.
func mapErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, engine.ErrQuotaExceeded) || isEngineError(err) {
		return err
	}
	// no session to be had: the budget's own refusal, without the
	// connect error's role and database names
	if errors.Is(err, engine.ErrSessionsBusy) {
		return engine.ErrSessionsBusy
	}
	// a call whose context ended failed for that reason, whatever the
	// driver says about the connection it lost
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			return engine.ErrTimeout
		}
		return cerr
	}
	// a server message past the session's bound (pool): a row larger
	// than the result budget, refused before it was read
	var tooLong *pgproto3.ExceededMaxBodyLenErr
	if errors.As(err, &tooLong) {
		return &engine.TooLargeError{}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53300": // too_many_connections
			return errServerFull
		case "57014": // query_canceled: statement_timeout
			return engine.ErrTimeout
		case "25006": // read_only_sql_transaction
			return engine.ErrReadOnly
		case "53100": // disk_full
			return engine.ErrStorageFull
		case "55P03", "40P01": // lock_not_available, deadlock_detected
			return fmt.Errorf("%w: %s", engine.ErrLocked, pe.Message)
		case "42601":
			if strings.Contains(pe.Message, "multiple commands") {
				return engine.ErrMultipleStatements
			}
		case "55000", "3D000":
			if strings.Contains(pe.Message, "not currently accepting connections") {
				return engine.ErrStopped
			}
		}
		return &engine.SQLError{Msg: pgMessage(pe), Code: pe.Code}
	}
	return err
}

// pgMessage is the server's message with its detail, as a client shows it.
func pgMessage(pe *pgconn.PgError) string {
	if pe.Detail != "" {
		return pe.Message + " (" + pe.Detail + ")"
	}
	return pe.Message
}

func isEngineError(err error) bool {
	var bad *engine.BadInputError
	var tooLarge *engine.TooLargeError
	var sqlErr *engine.SQLError
	var readErr *engine.ReadError
	var scriptErr *engine.ScriptError
	return errors.As(err, &bad) || errors.As(err, &tooLarge) || errors.As(err, &sqlErr) ||
		errors.As(err, &readErr) || errors.As(err, &scriptErr) ||
		errors.Is(err, engine.ErrReadOnly) || errors.Is(err, engine.ErrTimeout) ||
		errors.Is(err, engine.ErrInvalidIdentifier) || errors.Is(err, engine.ErrEmptyStatement)
}

// transfer bounds an import, export, backup or restore by the transfer
// timeout.
func (d *database) transfer(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.lim.TransferTimeout)
}

func (d *database) ExportCSV(ctx context.Context, table string, w io.Writer, opt engine.CSVExportOptions) (int64, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return exportCSV(ctx, d.ro, table, w, opt)
}

func (d *database) ExportJSON(ctx context.Context, table string, ndjson bool, w io.Writer) (int64, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return exportJSON(ctx, d.ro, table, ndjson, w)
}

// ExportQuery runs on the read-only role, so the statement cannot write
// whatever it says.
func (d *database) ExportQuery(ctx context.Context, q engine.Query, format string, w io.Writer) (int64, error) {
	if err := refused(q.SQL); err != nil {
		return 0, err
	}
	text, args, err := bindParams(q.SQL, q.Params, q.Named)
	if err != nil {
		return 0, err
	}
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return exportQuery(ctx, d.ro, text, args, format, w)
}

func (d *database) ImportCSV(ctx context.Context, table string, r io.Reader, opt engine.CSVOptions) (engine.ImportResult, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	if err := d.belowQuota(ctx); err != nil {
		return engine.ImportResult{}, err
	}
	return importCSV(ctx, d.owner, d.importGuard(), table, r, opt)
}

func (d *database) ImportSQL(ctx context.Context, script string) (engine.ScriptResult, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	if err := d.belowQuota(ctx); err != nil {
		return engine.ScriptResult{}, err
	}
	return importSQL(ctx, d.owner, d.importGuard(), script)
}

// importGuard bounds each statement of an import by the transfer timeout
// and refuses, before COMMIT, an import that grew the database past the
// size quota (belowQuota let it start under the quota, so past it means
// it grew), as guardQuota does for a call.
func (d *database) importGuard() importGuard {
	g := importGuard{timeout: d.lim.TransferTimeout}
	if limit := d.lim.MaxDBSizeBytes; limit > 0 {
		g.beforeCommit = func(ctx context.Context, tx pgx.Tx) error {
			n, err := dbSize(ctx, tx)
			if err != nil {
				return err
			}
			if n > limit {
				return engine.ErrQuotaExceeded
			}
			return nil
		}
	}
	return g
}

func (d *database) Backup(ctx context.Context, w io.Writer) (int64, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return backup(ctx, d.ownerDSN, w)
}

// DumpSQL is the SQL dump: a script the SQL import restores (see dump.go).
// A read-only key may take it, so it runs as the read-only role, as the
// other exports do.
func (d *database) DumpSQL(ctx context.Context, w io.Writer) (int64, error) {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return dumpSQL(ctx, d.roDSN, w)
}

func (d *database) Restore(ctx context.Context, r io.Reader) error {
	ctx, cancel := d.transfer(ctx)
	defer cancel()
	return restore(ctx, d.ownerDSN, r, d.lim.MaxDBSizeBytes)
}

// belowQuota refuses an import into a database already at its size quota.
func (d *database) belowQuota(ctx context.Context) error {
	if d.lim.MaxDBSizeBytes <= 0 {
		return nil
	}
	n, err := d.Size(ctx)
	if err != nil {
		return err
	}
	if n >= d.lim.MaxDBSizeBytes {
		return engine.ErrQuotaExceeded
	}
	return nil
}
