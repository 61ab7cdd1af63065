// Package embedded runs the DB-Forge engine and gateway in-process and
// serves the gateway's handler through an http.RoundTripper, so the client
// (and everything above it) works the same with or without a server.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/engine/postgres"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/templates"
)

// BaseURL is the base URL a client uses with Backend.Transport. The host is
// never resolved: requests go straight to the handler.
const BaseURL = "http://" + embeddedHost

const embeddedHost = "embedded"

// Options configure an embedded backend. The zero value is fine.
type Options struct {
	Version string       // reported by /health; default "dev"
	Logger  *slog.Logger // gateway request log; nil discards
	// Engine sets limits and timeouts; its DataDir is replaced by Open's.
	Engine engine.Config
	// MaxBodyBytes bounds JSON bodies and SQL scripts, MaxImportBytes
	// streamed CSV imports; zero means the gateway's defaults (32 MiB,
	// 10 GiB), a negative MaxImportBytes no limit.
	MaxBodyBytes, MaxImportBytes int64
	// Templates spawn may fill a database from; nil: bundled ones only.
	Templates *templates.Set
	// Postgres is the admin DSN of a PostgreSQL server (as `dbforge serve
	// --postgres`): postgres databases of the data directory are opened
	// there and new ones can be spawned. Empty: SQLite only, and postgres
	// databases stay stopped. Role passwords derive from the same
	// postgres.secret in the data directory that serve uses.
	Postgres string
}

// Backend is an engine plus a gateway running in this process, open mode
// (no API key): only this process can reach it.
type Backend struct {
	eng     *engine.Engine
	pg      *postgres.Backend // nil without Options.Postgres
	gw      *gateway.Gateway
	tr      *transport
	version string

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the data directory and builds the engine
// and gateway over it.
func Open(dataDir string, opts Options) (*Backend, error) {
	if dataDir == "" {
		return nil, errors.New("embedded: no data directory given")
	}
	cfg := opts.Engine
	cfg.DataDir = dataDir
	pg, err := openPostgres(dataDir, opts.Postgres)
	if err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	if pg != nil {
		cfg.Backends = append(slices.Clip(cfg.Backends), pg)
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		if pg != nil {
			pg.Close()
		}
		return nil, fmt.Errorf("embedded: %w", err)
	}
	gw := gateway.New(eng, gateway.Options{Version: opts.Version, Logger: opts.Logger,
		MaxBodyBytes: opts.MaxBodyBytes, MaxImportBytes: opts.MaxImportBytes,
		// requests name BaseURL's host; an open gateway answers only the
		// names it is told are its own
		AllowedHosts: []string{embeddedHost},
		Templates:    opts.Templates,
		// the audit log records what the user did, not the TUI's own
		// refresh of the lists and stats
		SkipPollingAudit: true,
	})
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	return &Backend{eng: eng, pg: pg, gw: gw, tr: newTransport(gw), version: version}, nil
}

// openPostgres builds the PostgreSQL backend for dsn; nil when dsn is
// empty. The server must be reachable: a typo in the DSN is reported now,
// not as stopped databases later.
func openPostgres(dataDir, dsn string) (*postgres.Backend, error) {
	if dsn == "" {
		return nil, nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return postgres.New(ctx, dsn, postgres.Options{SecretFile: filepath.Join(dataDir, "postgres.secret")})
}

// Transport returns the RoundTripper that serves requests from the
// in-process gateway; use it with BaseURL.
func (b *Backend) Transport() http.RoundTripper { return b.tr }

// ClientOptions are the options of a client over this backend: its
// transport, no retries (in-process calls never meet a network, so they
// would only add delay) and the capabilities preset, as this gateway is
// known to be DB-Forge (no GET /health probe). Options given later
// override them.
func (b *Backend) ClientOptions() []client.Option {
	return []client.Option{
		client.WithTransport(b.tr),
		client.WithRetries(0),
		client.WithCapabilities(client.Capabilities{Extended: true, Version: b.version}),
	}
}

// Handler returns the gateway itself, e.g. to also serve it over HTTP.
func (b *Backend) Handler() http.Handler { return b.gw }

// Close stops accepting requests through the transport and closes the
// engine (checkpointing every database). It is safe to call twice.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.tr.close()
		b.closeErr = b.eng.Close()
		if b.pg != nil {
			b.pg.Close()
		}
	})
	return b.closeErr
}
