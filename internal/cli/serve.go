package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/config"
	"github.com/dbforge/dbforge/internal/engine"
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
	maxDBSize    int64
	maxConc      int
	idlePrune    time.Duration
	auditRows    int
	auditAge     time.Duration
	logFormat    string
	metricsToken string
	templatesDir string // user templates: <config dir>/templates
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

The address, the limits and the log format can also be set in the config
file's [serve] table (see "dbforge config"); a flag beats the file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.apiKey == "" {
				f.apiKey = os.Getenv("DBFORGE_API_KEY")
			}
			if f.metricsToken == "" {
				f.metricsToken = os.Getenv(envMetricsToken)
			}
			cfg, err := resolveConfig(cmd)
			if err != nil {
				return err
			}
			// --data, then DBFORGE_DATA, the file's data_dir, the default.
			f.data = cfg.DataDir
			f.templatesDir = templatesDir(cfg)
			f.applyFile(cmd.Flags(), cfg.Serve)
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
	fl.Int64Var(&f.maxBody, "max-body", gateway.DefaultMaxBodyBytes, "request body limit in bytes")
	fl.IntVar(&f.maxDatabases, "max-databases", 0, "maximum number of databases (0 = unlimited)")
	fl.Int64Var(&f.maxDBSize, "max-db-size", 0, "per-database size quota in bytes; a write past it fails with 409 QUOTA_EXCEEDED (0 = unlimited)")
	fl.IntVar(&f.maxConc, "max-concurrent", 64, "calls running at once per database; past it 429 TOO_MANY_REQUESTS (0 = unlimited)")
	fl.DurationVar(&f.idlePrune, "idle-prune", 0, "prune (stop, keeping the data) databases idle this long (0 = never)")
	fl.IntVar(&f.auditRows, "audit-max-rows", 1000000, "audit log entries kept")
	fl.DurationVar(&f.auditAge, "audit-max-age", 90*24*time.Hour, "audit log entries older than this are deleted")
	fl.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&f.metricsToken, "metrics-token", "", "token Prometheus sends as \"Authorization: Bearer\" to scrape /metrics (default $"+envMetricsToken+"); without it only admin keys may")
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
	case f.maxDBSize < 0 || f.maxConc < 0 || f.idlePrune < 0 || f.auditRows <= 0 || f.auditAge <= 0:
		return usageError{errors.New("--max-db-size, --max-concurrent and --idle-prune must not be negative, --audit-max-rows and --audit-max-age must be positive")}
	}
	if _, _, err := net.SplitHostPort(f.addr); err != nil {
		return usageError{fmt.Errorf("--addr: %w", err)}
	}
	if f.noAuth && !f.insecure && !isLoopback(f.addr) {
		return usageError{fmt.Errorf("refusing to serve without a key on %s: use a loopback address, drop --no-auth, or add --insecure", f.addr)}
	}
	return nil
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
	eng, err := engine.Open(engine.Config{
		DataDir:      f.data,
		QueryTimeout: f.queryTimeout,
		MaxRows:      f.maxRows,
		MaxDatabases: f.maxDatabases,

		MaxDBSizeBytes: f.maxDBSize,
		MaxConcurrent:  f.maxConc,
		IdlePrune:      f.idlePrune,
		AuditMaxRows:   f.auditRows,
		AuditMaxAge:    f.auditAge,
	})
	if err != nil {
		return err
	}
	defer eng.Close()
	var hash []byte
	if !f.noAuth {
		if hash, err = adminKeyHash(f.data, f.apiKey, stderr); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	opts := gateway.Options{Version: Version, Logger: logger, AdminKeyHash: hash, MaxBodyBytes: f.maxBody}
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
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	mode := "API key required"
	if f.noAuth {
		mode = "OPEN: no API key"
	}
	fmt.Fprintf(stdout, "DB-Forge gateway listening on http://%s (data %s, %s)\n", ln.Addr(), f.data, mode)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
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

// adminKeyHash picks the admin key: the given one (its hash replaces the
// stored one), else the stored hash, else a new key printed once.
func adminKeyHash(dataDir, key string, stderr io.Writer) ([]byte, error) {
	if key != "" {
		h := auth.Hash(key)
		return h, auth.SaveHash(dataDir, h)
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

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
