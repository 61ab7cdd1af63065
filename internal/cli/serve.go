package cli

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dbforge/dbforge/internal/asynclog"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/config"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/engine/postgres"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/mcp"
	"github.com/dbforge/dbforge/internal/templates"
)

// envMetricsToken gives the metrics token when --metrics-token does not.
const envMetricsToken = "DBFORGE_METRICS_TOKEN"

// minKeyLen refuses keys and tokens too short to resist guessing.
const minKeyLen = 16

// shutdownGrace bounds how long in-flight requests may take to finish.
const shutdownGrace = 30 * time.Second

type serveFlags struct {
	addr         string
	data         string
	apiKey       string
	noAuth       bool
	insecure     bool
	queryTimeout time.Duration
	maxRows      int
	maxBody      int64
	maxDatabases int
	maxOpen      int // databases open at once; 0 = derived from the open-file limit
	maxDBSize    int64
	maxConc      int
	idlePrune    time.Duration
	auditRows    int
	auditAge     time.Duration
	logFormat    string
	logRequests  string // all, errors or off
	metricsToken string

	bodyTimeout  time.Duration
	maxConcKey   int
	allowHosts   []string
	corsOrigins  []string
	maxImport    int64
	maxResult    int64 // result budget per call, bytes
	tlsCert      string
	tlsKey       string
	templatesDir string // user templates: <config dir>/templates

	maxResultMem int64 // result budgets held at once by all calls, bytes

	postgres         string // admin DSN of the PostgreSQL server for postgres databases; "" = none
	postgresSessions int    // sessions all postgres databases hold on the server at once; 0 = derived
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the gateway over HTTP",
		Long: `Run the DB-Forge gateway over HTTP.

The admin API key comes from --api-key (or DBFORGE_API_KEY); else the hash
stored in the data directory is used; else a new key is generated, printed
once, and only its hash is stored. --no-auth runs without a key, and then
only on a loopback address unless --insecure is given.

/metrics names every database, so it answers only the metrics token
(--metrics-token, sent by Prometheus as "Authorization: Bearer") or an
unscoped admin key.

The address, the limits (all but --max-open-databases) and the log format
(not --log-requests) can also be set in the config file's [serve] table, under
the flag's name with "_" for "-" (see "dbforge config"); a flag beats the file.

With --tls-cert and --tls-key (both PEM files; [serve] tls_cert/tls_key) the
gateway speaks HTTPS only (TLS 1.2 or newer); without them it speaks plain
HTTP, for loopback or behind a reverse proxy that terminates TLS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := resolveConfig(cmd)
			if err != nil {
				return err
			}
			// --data, then DBFORGE_DATA, the file's data_dir, the default.
			f.data = cfg.DataDir
			f.templatesDir = templatesDir(cfg)
			f.applyFile(cmd.Flags(), cfg.Serve)
			// the environment beats the file, a flag beats both
			if err := f.applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			return runServe(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&f.data, "data", "", "data directory (default $DBFORGE_DATA, else $XDG_DATA_HOME/dbforge, else ~/.local/share/dbforge)")
	fl.StringVar(&f.apiKey, "api-key", "", "admin API key (default $DBFORGE_API_KEY); only its hash is stored")
	fl.BoolVar(&f.noAuth, "no-auth", false, "run without an API key (loopback only unless --insecure)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow --no-auth on a non-loopback address")
	fl.DurationVar(&f.queryTimeout, "query-timeout", 30*time.Second, "interrupt a statement running longer than this")
	fl.IntVar(&f.maxRows, "max-rows", 100000, "hard cap on rows returned per call")
	fl.Int64Var(&f.maxBody, "max-body", gateway.DefaultMaxBodyBytes, "request body limit in bytes (JSON bodies and SQL scripts, which are read whole)")
	fl.Int64Var(&f.maxImport, "max-import-bytes", gateway.DefaultMaxImportBytes, "streamed CSV import body limit in bytes; the size quota still applies (0 = unlimited)")
	fl.IntVar(&f.maxDatabases, "max-databases", 0, "maximum number of databases (0 = unlimited)")
	fl.IntVar(&f.maxOpen, "max-open-databases", 0, "databases open at once, each opened on its first call and the least recently used closed past this (0 = derived from the open-file limit, ulimit -n)")
	fl.Int64Var(&f.maxDBSize, "max-db-size", 0, "per-database size quota in bytes; a write past it fails with 409 QUOTA_EXCEEDED (0 = unlimited)")
	fl.IntVar(&f.maxConc, "max-concurrent", 64, "calls running at once per database; past it 429 TOO_MANY_REQUESTS (0 = unlimited)")
	fl.DurationVar(&f.idlePrune, "idle-prune", 0, "prune (stop, keeping the data) databases idle this long (0 = never)")
	fl.IntVar(&f.auditRows, "audit-max-rows", 1000000, "audit log entries kept")
	fl.DurationVar(&f.auditAge, "audit-max-age", 90*24*time.Hour, "audit log entries older than this are deleted")
	fl.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&f.logRequests, "log-requests", "all", "calls the log records a line for: all, errors (status 400 and up) or off; lines are buffered and written every 100 ms")
	fl.StringVar(&f.metricsToken, "metrics-token", "", "token Prometheus sends as \"Authorization: Bearer\" to scrape /metrics, at least 16 characters (default $"+envMetricsToken+"); without it only admin keys may")
	fl.DurationVar(&f.bodyTimeout, "body-timeout", gateway.DefaultBodyTimeout, "time a JSON request body may take to arrive, and a streamed import may pause; past it 408")
	fl.StringSliceVar(&f.allowHosts, "allowed-hosts", nil, "with --no-auth, Host names answered besides loopback ones (name or name:port, comma-separated; * for any)")
	fl.StringSliceVar(&f.corsOrigins, "cors-origins", nil, "web origins whose pages may call the API (comma-separated, or *; default $DBFORGE_CORS_ORIGINS, else any origin with keys, none with --no-auth)")
	fl.IntVar(&f.maxConcKey, "max-concurrent-per-key", gateway.DefaultMaxConcurrentPerKey, "calls one API key runs at once, over all databases; past it 429 (0 = unlimited)")
	fl.Int64Var(&f.maxResult, "max-result-bytes", engine.DefaultMaxResultBytes, "result budget per call in bytes (default $"+envMaxResult+"); rows past it are cut with has_more, a first row past it fails with 422 RESULT_TOO_LARGE; also the limit on one string or blob")
	fl.Int64Var(&f.maxResultMem, "max-result-memory", engine.DefaultMaxResultMemory, "memory in bytes that results larger than 1 MiB may hold at once, over all calls: max-result-memory / max-result-bytes of them run at once, others wait up to the query timeout, then 503 SERVER_BUSY")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain); needs --tls-key")
	fl.StringVar(&f.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fl.StringVar(&f.postgres, "postgres", "", "admin DSN of a PostgreSQL server (postgres://admin@host:5432/postgres) on which spawn {\"backend\":\"postgres\"} creates databases (default $"+envPostgres+")")
	fl.IntVar(&f.postgresSessions, "postgres-sessions", 0, "sessions all postgres databases hold on the server at once; past it a call waits up to 1 s, then 503 SERVER_BUSY (0 = the server's max_connections less its reserve and 8)")
	return cmd
}

// applyFile takes each setting the user did not give as a flag from the
// config file's [serve] table.
func (f *serveFlags) applyFile(fl *pflag.FlagSet, sf config.ServeFile) {
	fromFile(fl, "addr", sf.Addr, &f.addr)
	fromFile(fl, "log-format", sf.LogFormat, &f.logFormat)
	fromFile(fl, "query-timeout", sf.QueryTimeout, &f.queryTimeout)
	fromFile(fl, "max-rows", sf.MaxRows, &f.maxRows)
	fromFile(fl, "max-body", sf.MaxBody, &f.maxBody)
	fromFile(fl, "max-databases", sf.MaxDatabases, &f.maxDatabases)
	fromFile(fl, "max-db-size", sf.MaxDBSize, &f.maxDBSize)
	fromFile(fl, "max-concurrent", sf.MaxConcurrent, &f.maxConc)
	fromFile(fl, "idle-prune", sf.IdlePrune, &f.idlePrune)
	fromFile(fl, "audit-max-rows", sf.AuditMaxRows, &f.auditRows)
	fromFile(fl, "audit-max-age", sf.AuditMaxAge, &f.auditAge)
	if f.metricsToken == "" {
		// the flag, then the environment, then the file
		fromFile(fl, "metrics-token", sf.MetricsToken, &f.metricsToken)
	}
	fromFile(fl, "body-timeout", sf.BodyTimeout, &f.bodyTimeout)
	fromFile(fl, "max-concurrent-per-key", sf.MaxConcurrentPerKey, &f.maxConcKey)
	fromFile(fl, "allowed-hosts", sf.AllowedHosts, &f.allowHosts)
	fromFile(fl, "cors-origins", sf.CORSOrigins, &f.corsOrigins)
	fromFile(fl, "max-import-bytes", sf.MaxImportBytes, &f.maxImport)
	fromFile(fl, "max-result-bytes", sf.MaxResultBytes, &f.maxResult)
	fromFile(fl, "max-result-memory", sf.MaxResultMemory, &f.maxResultMem)
	fromFile(fl, "tls-cert", sf.TLSCert, &f.tlsCert)
	fromFile(fl, "tls-key", sf.TLSKey, &f.tlsKey)
	fromFile(fl, "postgres", sf.Postgres, &f.postgres)
	fromFile(fl, "postgres-sessions", sf.PostgresSessions, &f.postgresSessions)
}

// envMaxResult sets --max-result-bytes when the flag is not given.
const envMaxResult = "DBFORGE_MAX_RESULT_BYTES"

// envPostgres sets --postgres when the flag is not given.
const envPostgres = "DBFORGE_POSTGRES"

// serveEnv lists the serve settings that have an environment variable,
// by the flag each one stands for.
func serveEnv() []struct{ env, flag string } {
	return []struct{ env, flag string }{
		{"DBFORGE_API_KEY", "api-key"},
		{envMetricsToken, "metrics-token"},
		{config.EnvCORSOrigins, "cors-origins"},
		{envMaxResult, "max-result-bytes"},
		{envPostgres, "postgres"},
	}
}

// applyEnv takes each setting of serveEnv from its environment variable
// unless the flag was given; it runs after the file, which it beats.
func (f *serveFlags) applyEnv(fl *pflag.FlagSet, lookup func(string) (string, bool)) error {
	for _, e := range serveEnv() {
		v, ok := lookup(e.env)
		if !ok || v == "" || fl.Changed(e.flag) {
			continue
		}
		if fl.Set(e.flag, v) != nil {
			return usageError{fmt.Errorf("%s=%q is not a valid value for --%s", e.env, v, e.flag)}
		}
	}
	return nil
}

// fromFile sets *dst from the file's value unless the flag was given.
func fromFile[T any](fl *pflag.FlagSet, flag string, fileValue *T, dst *T) {
	if fileValue != nil && !fl.Changed(flag) {
		*dst = *fileValue
	}
}

func (f *serveFlags) validate() error {
	switch {
	case f.logFormat != "text" && f.logFormat != "json":
		return usageError{fmt.Errorf("--log-format must be text or json, not %q", f.logFormat)}
	case f.logRequests != "" && f.logRequests != "all" && f.logRequests != "errors" && f.logRequests != "off":
		return usageError{fmt.Errorf("--log-requests must be all, errors or off, not %q", f.logRequests)}
	case f.noAuth && f.apiKey != "":
		return usageError{errors.New("--no-auth conflicts with an API key (--api-key or DBFORGE_API_KEY)")}
	case f.apiKey != "" && len(f.apiKey) < minKeyLen:
		return usageError{fmt.Errorf("the API key must be at least %d characters", minKeyLen)}
	case f.noAuth && f.metricsToken != "":
		return usageError{errors.New("--no-auth conflicts with a metrics token (--metrics-token or " + envMetricsToken + "): without keys /metrics is open")}
	case f.metricsToken != "" && len(f.metricsToken) < minKeyLen:
		return usageError{fmt.Errorf("the metrics token must be at least %d characters", minKeyLen)}
	case f.queryTimeout <= 0 || f.maxRows <= 0 || f.maxBody <= 0 || f.maxDatabases < 0:
		return usageError{errors.New("--query-timeout, --max-rows and --max-body must be positive, --max-databases not negative")}
	case f.maxResult <= 0:
		return usageError{errors.New("--max-result-bytes must be positive")}
	case f.maxOpen < 0:
		return usageError{errors.New("--max-open-databases must not be negative")}
	case f.postgresSessions < 0:
		return usageError{errors.New("--postgres-sessions must not be negative")}
	case f.maxResultMem <= 0:
		return usageError{errors.New("--max-result-memory must be positive")}
	case f.maxDBSize < 0 || f.maxConc < 0 || f.idlePrune < 0 || f.auditRows <= 0 || f.auditAge <= 0:
		return usageError{errors.New("--max-db-size, --max-concurrent and --idle-prune must not be negative, --audit-max-rows and --audit-max-age must be positive")}
	case f.noAuth && slices.Contains(f.corsOrigins, "*"):
		return usageError{errors.New("--cors-origins '*' with --no-auth would let any web page use the open gateway: list the origins")}
	case f.bodyTimeout <= 0 || f.maxConcKey < 0 || f.maxImport < 0:
		return usageError{errors.New("--body-timeout must be positive, --max-concurrent-per-key and --max-import-bytes not negative")}
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageError{errors.New("--tls-cert and --tls-key go together: give both (HTTPS) or neither (HTTP)")}
	}
	if _, _, err := net.SplitHostPort(f.addr); err != nil {
		return usageError{fmt.Errorf("--addr: %w", err)}
	}
	if f.noAuth && !f.insecure && !isLoopback(f.addr) {
		return usageError{fmt.Errorf("refusing to serve without a key on %s: use a loopback address, drop --no-auth, or add --insecure", f.addr)}
	}
	return nil
}

// unlimitedIfZero turns a flag's "0 = unlimited" into the gateway's
// negative "no limit" (its zero value means the default).
func unlimitedIfZero[T int | int64](n T) T {
	if n == 0 {
		return -1
	}
	return n
}

// isLoopback reports whether addr's host only accepts local connections.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, f serveFlags, stdout, stderr io.Writer) error {
	if err := f.validate(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	logger := newLogger(f.logFormat, stderr)
	// request lines are written off the request path; Close (deferred
	// first, so run last) writes what is left. Warnings and errors stay
	// immediate.
	reqLogOut := asynclog.New(stderr)
	defer reqLogOut.Close()
	logRequests, err := gateway.ParseRequestLogMode(cmp.Or(f.logRequests, "all"))
	if err != nil {
		return usageError{err}
	}
	backends, closeBackends, err := serveBackends(ctx, f, logger)
	if err != nil {
		return err
	}
	defer closeBackends()
	eng, err := engine.Open(engine.Config{
		Backends:     backends,
		DataDir:      f.data,
		QueryTimeout: f.queryTimeout,
		MaxRows:      f.maxRows,
		MaxDatabases: f.maxDatabases,

		MaxDBSizeBytes: f.maxDBSize,
		MaxConcurrent:  f.maxConc,
		IdlePrune:      f.idlePrune,
		AuditMaxRows:   f.auditRows,
		AuditMaxAge:    f.auditAge,
		MaxResultBytes: f.maxResult,

		MaxResultMemory: f.maxResultMem,
		MaxOpen:         f.maxOpen,
	})
	if err != nil {
		return err
	}
	defer eng.Close()
	// the whole catalog before the first request: an unknown name is then
	// a map miss, never a query on the catalog the audit log writes to
	if err := eng.LoadAll(ctx); err != nil {
		return err
	}
	var hash []byte
	if !f.noAuth {
		if hash, err = adminKeyHash(f.data, f.apiKey, stderr); err != nil {
			return err
		}
	}
	tlsConfig, err := loadTLS(f.tlsCert, f.tlsKey)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	opts := gateway.Options{Version: version(), Logger: logger, AdminKeyHash: hash, MaxBodyBytes: f.maxBody,
		BodyTimeout:         f.bodyTimeout,
		MaxConcurrentPerKey: unlimitedIfZero(f.maxConcKey),
		AllowedHosts:        f.allowHosts,
		CORSOrigins:         f.corsOrigins,
		MaxImportBytes:      unlimitedIfZero(f.maxImport),
		LogRequests:         logRequests,
		RequestLog:          reqLogOut,
		RequestLogJSON:      f.logFormat == "json",
	}
	opts.Templates = templates.New(f.templatesDir)
	if f.metricsToken != "" {
		opts.MetricsTokenHash = auth.Hash(f.metricsToken)
	}
	gw := gateway.New(eng, opts)
	handler, closeMCP := mcp.Mount(gw, Version, logger)
	defer closeMCP()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// "OPTIONS *" reaches the gateway, which answers it in JSON
		DisableGeneralOptionsHandler: true,
		IdleTimeout:                  2 * time.Minute,
		ErrorLog:                     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:                    tlsConfig,
		ConnState:                    yieldWhenIdle,
	}
	mode := "API key required"
	if f.noAuth {
		mode = "OPEN: no API key"
	}
	fmt.Fprintf(stdout, "DB-Forge gateway listening on %s://%s (data %s, %s)\n", scheme, ln.Addr(), f.data, mode)
	if f.noAuth && !isLoopback(f.addr) && len(f.allowHosts) == 0 {
		logger.Warn("without API keys only loopback host names are answered; list the names clients use with --allowed-hosts")
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- srv.ServeTLS(ln, "", "") // the certificate is in TLSConfig; HTTP/2 is offered
			return
		}
		served <- srv.Serve(ln)
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process the default way
	logger.Info("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	serr := srv.Shutdown(sctx)
	if cerr := eng.Close(); serr == nil {
		serr = cerr
	}
	if serr == nil {
		logger.Info("stopped cleanly")
	}
	return serr
}

// loadTLS reads the certificate and key of --tls-cert/--tls-key, before
// anything listens, so a bad pair fails at start-up; nil without them.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s / key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// adminKeyHash picks the admin key: the given one (its hash replaces the
// stored one), else the stored hash, else a new key printed once.
func adminKeyHash(dataDir, key string, stderr io.Writer) ([]byte, error) {
	if key != "" {
		return givenKeyHash(dataDir, key, stderr)
	}
	h, err := auth.LoadHash(dataDir)
	if err == nil {
		return h, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key, err = auth.GenerateKey()
	if err != nil {
		return nil, err
	}
	h = auth.Hash(key)
	if err := auth.SaveHash(dataDir, h); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "\nGenerated admin API key (shown only this once; only its hash is stored in %s):\n\n    %s\n\n",
		auth.HashFile(dataDir), key)
	return h, nil
}

// givenKeyHash stores the hash of the --api-key key, writing only when it
// changed: a restart with the same key used to rewrite the file and so
// failed on a full disk ("no space left on device"). A new key that cannot
// be stored still serves this run, but the old hash is removed so that a
// later start without --api-key cannot let the replaced key in again.
func givenKeyHash(dataDir, key string, stderr io.Writer) ([]byte, error) {
	h := auth.Hash(key)
	err := auth.StoreHash(dataDir, h)
	if err == nil {
		return h, nil
	}
	if rmErr := auth.RemoveHash(dataDir); rmErr != nil {
		return nil, fmt.Errorf("cannot store the admin key hash (%v) nor remove the old one: %w", err, rmErr)
	}
	fmt.Fprintf(stderr, "warning: the admin key hash could not be stored (%v); serving with the given key, and the old hash was removed: give --api-key again on the next start\n", err)
	return h, nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serveBackends builds the backends besides SQLite that serve was given:
// PostgreSQL with --postgres, whose session budget it logs. Its role
// passwords derive from a secret kept in the data directory (created 0600).
func serveBackends(ctx context.Context, f serveFlags, logger *slog.Logger) ([]engine.Backend, func(), error) {
	if f.postgres == "" {
		return nil, func() {}, nil
	}
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, nil, err
	}
	pg, err := postgres.New(ctx, f.postgres, postgres.Options{SecretFile: filepath.Join(f.data, "postgres.secret"), MaxSessions: f.postgresSessions})
	if err != nil {
		return nil, nil, err
	}
	// the derived bound depends on the server: say what it came to
	logger.Info("postgres backend ready", "max_sessions", pg.MaxSessions())
	return []engine.Backend{pg}, pg.Close, nil
}

// yieldWhenIdle lets the other connections' calls run once before a
// connection that has just answered goes back to read its next request.
// A client in a tight loop (a script or an agent on the same host, a load
// generator) has usually sent that request by then; reading at once finds
// nothing and costs a failed read and a trip through the poller for every
// call. Without other work to run the yield returns at once.
func yieldWhenIdle(_ net.Conn, state http.ConnState) {
	if state == http.StateIdle {
		runtime.Gosched()
	}
}
