// Package embedded runs DB-Forge inside a Go program: the engine and the
// gateway on a data directory, in-process, with no server and no port.
// Client returns the same *client.Client a program would use against
// `dbforge serve`, so code written for one works with the other.
//
//	gw, err := embedded.Open("./data", nil)
//	if err != nil { ... }
//	defer gw.Close()
//	c := gw.Client()
//	c.Spawn(ctx, "app")
//	res, err := c.Query(ctx, "app", client.QueryRequest{SQL: "SELECT 1"})
//
// The data directory holds plain SQLite files (<dir>/databases/NAME.db)
// that `dbforge --data <dir>` and `dbforge serve --data <dir>` open too,
// though only one process may have it open at a time. The in-process
// gateway has no API keys: it is reachable only from this process.
package embedded

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/dbforge/dbforge/client"
	internal "github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// Options tune an embedded gateway. The zero value (or nil) takes the
// defaults of `dbforge serve`.
type Options struct {
	QueryTimeout   time.Duration // a statement running longer is interrupted; default 30s
	MaxRows        int           // most rows one call returns; default 100,000
	MaxDatabases   int           // 0 = unlimited
	MaxDBSizeBytes int64         // per-database size quota; 0 = unlimited
	// TemplatesDir holds NAME.sql templates for client.SpawnWith besides
	// the bundled ones; "" for the bundled ones only.
	TemplatesDir string
	// Logger receives the gateway's request log; nil discards it.
	Logger *slog.Logger
	// ClientOptions are added to the options of the client Client returns
	// (a timeout, a user agent).
	ClientOptions []client.Option
}

// Gateway is DB-Forge running in this process. It is safe for concurrent
// use; Close it to checkpoint and close every database.
type Gateway struct {
	b *internal.Backend
	c *client.Client
}

// Open opens (creating if needed) the data directory and starts the
// engine and the gateway over it.
func Open(dataDir string, opts *Options) (*Gateway, error) {
	if dataDir == "" {
		return nil, errors.New("embedded: no data directory given")
	}
	if opts == nil {
		opts = &Options{}
	}
	b, err := internal.Open(dataDir, internal.Options{
		Version: "embedded",
		Logger:  opts.Logger,
		Engine: engine.Config{
			QueryTimeout:   opts.QueryTimeout,
			MaxRows:        opts.MaxRows,
			MaxDatabases:   opts.MaxDatabases,
			MaxDBSizeBytes: opts.MaxDBSizeBytes,
		},
		Templates: templates.New(opts.TemplatesDir),
	})
	if err != nil {
		return nil, err
	}
	copts := append(b.ClientOptions(), opts.ClientOptions...)
	return &Gateway{b: b, c: client.New(internal.BaseURL, copts...)}, nil
}

// Client returns the client over the in-process gateway. Every method of
// client.Client works, exactly as against a remote gateway.
func (g *Gateway) Client() *client.Client { return g.c }

// Handler returns the gateway as an http.Handler, to also serve it over
// HTTP (it has no API keys: put it behind your own authentication).
func (g *Gateway) Handler() http.Handler { return g.b.Handler() }

// Close stops the gateway and closes every database, checkpointing its
// WAL. Calls made afterwards fail. It is safe to call twice.
func (g *Gateway) Close() error { return g.b.Close() }
