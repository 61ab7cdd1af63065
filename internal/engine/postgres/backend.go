// Package postgres is the PostgreSQL backend of the engine: each DB-Forge
// database is a PostgreSQL database dbforge_<id> on a server the operator
// points the gateway at, owned by a role of its own, with a read-only role
// for read-only keys. Calls connect as those roles, never as the admin.
package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// Options tune the backend. Zero values take the defaults.
type Options struct {
	// SecretFile holds the key the role passwords are derived from
	// (created with 32 random bytes, mode 0600, when missing). Required.
	SecretFile string
	// MaxConns bounds the owner pool of each database; default 4. The
	// read-only pool gets half of it (at least 1).
	MaxConns int32
	// MaxSessions bounds the sessions all databases' pools hold on the
	// server together (sessionBudget); default: what the server's
	// max_connections leaves (defaultSessions).
	MaxSessions int
}

// Backend creates and opens PostgreSQL databases through an admin
// connection. It is safe for concurrent use.
type Backend struct {
	adminDSN string
	admin    *pgxpool.Pool
	secret   []byte
	maxConns int32
	sessions *sessionBudget
}

// adminTimeout bounds each lifecycle change on the server (create, open,
// stop, drop), which the engine makes while holding its lifecycle lock.
const adminTimeout = 30 * time.Second

// idPattern is what a catalog id looks like (engine.newID): the only part
// of a database or role name, so no name a user chose reaches an identifier.
var idPattern = regexp.MustCompile(`^[0-9a-f]{1,32}$`)

// New connects to the server with the admin DSN (a role that may create
// databases and roles: a superuser, as pg_dump/pg_restore of any tenant
// need one too).
func New(ctx context.Context, adminDSN string, opt Options) (*Backend, error) {
	if opt.SecretFile == "" {
		return nil, errors.New("postgres: no secret file given")
	}
	secret, err := loadSecret(opt.SecretFile)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(adminDSN)
	if err != nil {
		return nil, fmt.Errorf("postgres: admin DSN: %w", err)
	}
	cfg.MaxConns = adminConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach the server: %w", err)
	}
	sessions := opt.MaxSessions
	if sessions <= 0 {
		if sessions, err = serverSessions(pctx, pool); err != nil {
			pool.Close()
			return nil, err
		}
	}
	b := &Backend{adminDSN: adminDSN, admin: pool, secret: secret, maxConns: opt.MaxConns, sessions: newSessionBudget(sessions)}
	if b.maxConns <= 0 {
		b.maxConns = 4
	}
	return b, nil
}

// serverSessions is defaultSessions for the server pool connects to.
func serverSessions(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var serverMax, reserved int
	err := pool.QueryRow(ctx, `SELECT current_setting('max_connections')::int,
		current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true)::int, 0)`).Scan(&serverMax, &reserved)
	if err != nil {
		return 0, fmt.Errorf("postgres: reading max_connections: %w", err)
	}
	return defaultSessions(serverMax, reserved), nil
}

// MaxSessions is the most sessions the databases' pools hold on the server
// at once (Options.MaxSessions or its default).
func (b *Backend) MaxSessions() int { return b.sessions.size() }

// loadSecret reads the password key, creating it on first use.
func loadSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) < 32 {
			return nil, fmt.Errorf("secret file %s is too short", path)
		}
		return b, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	b = make([]byte, 32)
	rand.Read(b)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // created meanwhile
			return loadSecret(path)
		}
		return nil, err
	}
	_, werr := f.Write(b)
	return b, errors.Join(werr, f.Sync(), f.Close())
}

// Close closes the admin pool.
func (b *Backend) Close() { b.admin.Close() }

// Name is engine.BackendPostgres.
func (b *Backend) Name() string { return engine.BackendPostgres }

// names of the database and the roles of one instance.
type names struct{ db, owner, ro string }

func namesOf(inst engine.Instance) (names, error) {
	if !idPattern.MatchString(inst.ID) {
		return names{}, fmt.Errorf("postgres: invalid instance id %q", inst.ID)
	}
	base := "dbforge_" + inst.ID
	return names{db: base, owner: base + "_owner", ro: base + "_ro"}, nil
}

// password derives a role's password from the secret, so none is stored.
func (b *Backend) password(role string) string {
	m := hmac.New(sha256.New, b.secret)
	m.Write([]byte("dbforge role password\x00" + role))
	return hex.EncodeToString(m.Sum(nil))
}

// Create makes the roles and the database, and locks both down: no
// CONNECT or TEMPORARY for PUBLIC, no access to schema public but for the
// owner (and USAGE + SELECT for the read-only role).
func (b *Backend) Create(ctx context.Context, inst engine.Instance) (err error) {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	n, err := namesOf(inst)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			b.Drop(context.WithoutCancel(ctx), inst)
		}
	}()
	limit := b.maxConns + 2 // the pool plus a dump or restore
	role := "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT %d PASSWORD %s"
	steps := []string{
		fmt.Sprintf("CREATE ROLE %s "+role, sqltext.QuoteIdent(n.owner), limit, sqltext.Postgres.QuoteLiteral(b.password(n.owner))),
		fmt.Sprintf("CREATE ROLE %s "+role, sqltext.QuoteIdent(n.ro), limit, sqltext.Postgres.QuoteLiteral(b.password(n.ro))),
		fmt.Sprintf("ALTER ROLE %s SET default_transaction_read_only = on", sqltext.QuoteIdent(n.ro)),
		fmt.Sprintf("CREATE DATABASE %s OWNER %s TEMPLATE template0 ENCODING 'UTF8'", sqltext.QuoteIdent(n.db), sqltext.QuoteIdent(n.owner)),
		fmt.Sprintf("REVOKE ALL ON DATABASE %s FROM PUBLIC", sqltext.QuoteIdent(n.db)),
		fmt.Sprintf("GRANT CONNECT ON DATABASE %s TO %s", sqltext.QuoteIdent(n.db), sqltext.QuoteIdent(n.ro)),
	}
	for _, s := range steps {
		if _, err := b.admin.Exec(ctx, s); err != nil {
			return fmt.Errorf("postgres: %s: %w", strings.SplitN(s, " PASSWORD", 2)[0], err)
		}
	}
	conn, err := b.adminConn(ctx, n.db)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	inDB := []string{
		"REVOKE ALL ON SCHEMA public FROM PUBLIC",
		fmt.Sprintf("ALTER SCHEMA public OWNER TO %s", sqltext.QuoteIdent(n.owner)),
		fmt.Sprintf("GRANT USAGE ON SCHEMA public TO %s", sqltext.QuoteIdent(n.ro)),
		// in every schema the owner creates, too
		fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT USAGE ON SCHEMAS TO %s", sqltext.QuoteIdent(n.owner), sqltext.QuoteIdent(n.ro)),
		fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT SELECT ON TABLES TO %s", sqltext.QuoteIdent(n.owner), sqltext.QuoteIdent(n.ro)),
		fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s GRANT SELECT ON SEQUENCES TO %s", sqltext.QuoteIdent(n.owner), sqltext.QuoteIdent(n.ro)),
	}
	for _, s := range inDB {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("postgres: %s: %w", s, err)
		}
	}
	return nil
}

// adminConn connects as the admin to one database.
func (b *Backend) adminConn(ctx context.Context, db string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(b.adminDSN)
	if err != nil {
		return nil, err
	}
	cfg.Database = db
	return pgx.ConnectConfig(ctx, cfg)
}

// Stop refuses new sessions (database and roles) and ends the open ones.
func (b *Backend) Stop(ctx context.Context, inst engine.Instance) error {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	n, err := namesOf(inst)
	if err != nil {
		return err
	}
	for _, s := range []string{
		fmt.Sprintf("ALTER DATABASE %s ALLOW_CONNECTIONS false", sqltext.QuoteIdent(n.db)),
		fmt.Sprintf("ALTER ROLE %s NOLOGIN", sqltext.QuoteIdent(n.owner)),
		fmt.Sprintf("ALTER ROLE %s NOLOGIN", sqltext.QuoteIdent(n.ro)),
	} {
		if _, err := b.admin.Exec(ctx, s); err != nil {
			return fmt.Errorf("postgres: stop %s: %w", inst.Name, err)
		}
	}
	return b.terminate(ctx, n)
}

// terminate ends every session on the database or of its roles.
func (b *Backend) terminate(ctx context.Context, n names) error {
	_, err := b.admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE (datname = $1 OR usename IN ($2, $3)) AND pid <> pg_backend_pid()`, n.db, n.owner, n.ro)
	return err
}

// Drop removes the database and both roles; missing ones are no error.
func (b *Backend) Drop(ctx context.Context, inst engine.Instance) error {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	n, err := namesOf(inst)
	if err != nil {
		return err
	}
	var errs []error
	if err := b.terminate(ctx, n); err != nil {
		errs = append(errs, err)
	}
	for _, s := range []string{
		fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", sqltext.QuoteIdent(n.db)),
		fmt.Sprintf("DROP ROLE IF EXISTS %s", sqltext.QuoteIdent(n.ro)),
		fmt.Sprintf("DROP ROLE IF EXISTS %s", sqltext.QuoteIdent(n.owner)),
	} {
		if _, err := b.admin.Exec(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("postgres: %s: %w", s, err))
		}
	}
	return errors.Join(errs...)
}

// Open allows sessions again and opens the owner and read-only pools. The
// passwords are set again, as a tenant may change its own role's.
func (b *Backend) Open(ctx context.Context, inst engine.Instance, lim engine.Limits) (engine.Database, error) {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	n, err := namesOf(inst)
	if err != nil {
		return nil, err
	}
	for _, s := range []string{
		fmt.Sprintf("ALTER ROLE %s LOGIN PASSWORD %s", sqltext.QuoteIdent(n.owner), sqltext.Postgres.QuoteLiteral(b.password(n.owner))),
		fmt.Sprintf("ALTER ROLE %s LOGIN PASSWORD %s", sqltext.QuoteIdent(n.ro), sqltext.Postgres.QuoteLiteral(b.password(n.ro))),
		fmt.Sprintf("ALTER DATABASE %s ALLOW_CONNECTIONS true", sqltext.QuoteIdent(n.db)),
	} {
		if _, err := b.admin.Exec(ctx, s); err != nil {
			return nil, fmt.Errorf("postgres: open %s: %s: %w", inst.Name, strings.SplitN(s, " PASSWORD", 2)[0], err)
		}
	}
	owner, err := b.pool(ctx, n.db, n.owner, b.maxConns, maxMessage(lim))
	if err != nil {
		return nil, err
	}
	ro, err := b.pool(ctx, n.db, n.ro, max(b.maxConns/2, 1), maxMessage(lim))
	if err != nil {
		b.sessions.remove(owner)
		owner.Close()
		return nil, err
	}
	return &database{name: n.db, owner: owner, ro: ro, sessions: b.sessions, lim: lim, ownerDSN: b.dsn(n.db, n.owner), roDSN: b.dsn(n.db, n.ro)}, nil
}

// dsn is a connection string for a role to the database (for pg_dump and
// pg_restore).
func (b *Backend) dsn(db, role string) string {
	cfg, err := pgx.ParseConfig(b.adminDSN)
	if err != nil {
		return ""
	}
	// a postgres:// URL, which is what pg_dump and psql are given (the
	// password goes to their environment, see toolTarget)
	u := url.URL{Scheme: "postgres", User: url.UserPassword(role, b.password(role)), Path: "/" + db}
	// host as a parameter: a socket directory or an IPv6 address as well
	q := url.Values{"host": {cfg.Host}, "port": {strconv.Itoa(int(cfg.Port))}}
	if !strings.HasPrefix(cfg.Host, "/") {
		q.Set("sslmode", "prefer")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pool opens a bounded pool for a role. Every connection is reset with
// DISCARD ALL when released, so nothing a call SETs, PREPAREs, LISTENs
// or locks reaches the next call. Statements are sent with the extended
// protocol without a statement cache (DISCARD ALL would drop it), which
// also makes PostgreSQL refuse more than one statement per call.
//
// No server message may be longer than maxBody: the driver reads a whole
// message (a row) into memory before anything can look at it, so without
// the bound one SELECT of a huge value makes the gateway allocate up to the
// server's 1 GiB.
func (b *Backend) pool(ctx context.Context, db, role string, size int32, maxBody int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(b.adminDSN)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Database = db
	cfg.ConnConfig.User = role
	cfg.ConnConfig.Password = b.password(role)
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	cfg.ConnConfig.RuntimeParams["application_name"] = "dbforge"
	cfg.ConnConfig.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
		f := pgproto3.NewFrontend(r, w)
		f.SetMaxBodyLen(maxBody)
		return f
	}
	cfg.MaxConns = size
	cfg.MinConns = 0
	cfg.MaxConnIdleTime = time.Minute
	b.sessions.limit(cfg)
	cfg.AfterRelease = func(c *pgx.Conn) bool {
		if !b.sessions.keepIdle() {
			return false // closed: its token goes to the call waiting for one
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.Exec(ctx, "DISCARD ALL")
		return err == nil && b.sessions.keepIdle()
	}
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: pool for %s: %w", db, err)
	}
	b.sessions.add(p)
	return p, nil
}

// maxMessage is the longest server message a database's sessions accept:
// one row within the result budget, plus room for the message's own
// framing and a wide row description.
func maxMessage(lim engine.Limits) int {
	const slack = 1 << 20
	if lim.MaxResultBytes <= 0 || lim.MaxResultBytes > 1<<30 {
		return 1<<30 + slack
	}
	return int(lim.MaxResultBytes) + slack
}
