// Package gateway is DB-Forge's HTTP API (docs/API.md) as an
// http.Handler over an engine. It serves both `dbforge serve` and the
// in-process embedded mode.
package gateway

import (
	"cmp"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// DefaultMaxBodyBytes is the request body limit when Options sets none.
const DefaultMaxBodyBytes = 32 << 20

// Options configure a Gateway. The zero value runs open (no key), logs
// nowhere, and uses default limits.
type Options struct {
	Version      string
	Logger       *slog.Logger // nil discards logs
	AdminKeyHash []byte       // SHA-256 of the admin key; nil runs open
	MaxBodyBytes int64        // request body limit; default 32 MiB

	// Authenticator, when set, checks keys instead of AdminKeyHash and the
	// engine's stored keys.
	Authenticator auth.Authenticator

	// DisableAudit turns off the audit log of admin and data-plane calls.
	DisableAudit bool
	// LogRequests picks the calls Logger records a line for: all (the
	// zero value), errors only (status 400 and up) or none.
	LogRequests RequestLogMode
	// RequestLogger, when set, takes the request lines instead of Logger
	// (e.g. one that buffers them off the request path).
	RequestLogger *slog.Logger

	// MetricsTokenHash is the SHA-256 of a token that may scrape /metrics
	// (besides unscoped admin keys); nil: admin keys only.
	MetricsTokenHash []byte
	// BodyTimeout bounds how long a JSON body may take to arrive, and how
	// long a streamed import body may pause; default 30 s.
	BodyTimeout time.Duration
	// MaxImportBytes bounds a streamed import body (CSV), which is never
	// held whole; default 10 GiB, negative for no limit (the database size
	// quota still applies). SQL scripts are read whole: MaxBodyBytes
	// bounds them.
	MaxImportBytes int64
	// MaxConcurrentPerKey bounds the calls one key runs at once; default
	// 16, negative for no limit. Open mode has no keys and no such limit.
	MaxConcurrentPerKey int

	// AllowedHosts are Host names (name or name:port, "*" for any) an
	// open gateway answers besides the loopback ones.
	AllowedHosts []string
	// CORSOrigins are the web origins (or "*") whose pages may call the
	// gateway. Empty: every origin when keys are required, none in open
	// mode.
	CORSOrigins []string

	// Templates are what spawn may fill a new database from; nil: the
	// bundled templates only.
	Templates *templates.Set
}

// Gateway serves the DB-Forge API.
type Gateway struct {
	eng     *engine.Engine
	opts    Options
	log     *slog.Logger
	reqLog  *slog.Logger       // request lines: Options.RequestLogger, else log
	authn   auth.Authenticator // nil: open mode
	maxBody int64
	started time.Time

	bodyTimeout time.Duration
	maxImport   int64
	keySlots    *keySlots
	hosts       hosts
	origins     origins

	mux       *http.ServeMux
	routes    map[string]*route // by pattern; fixed once New returns
	patterns  []string          // registration order
	unmatched *route            // requests no pattern matched

	total    atomic.Int64
	errs     atomic.Int64
	byStatus [600]atomic.Int64

	metrics *metrics
	bufs    bufPool
}

// New builds the gateway over an open engine.
func New(eng *engine.Engine, opts Options) *Gateway {
	g := &Gateway{
		eng:     eng,
		opts:    opts,
		log:     opts.Logger,
		maxBody: opts.MaxBodyBytes,
		started: time.Now(),
		mux:     http.NewServeMux(),
		routes:  map[string]*route{},
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	g.reqLog = cmp.Or(opts.RequestLogger, g.log)
	if g.maxBody <= 0 {
		g.maxBody = DefaultMaxBodyBytes
	}
	g.bodyTimeout = cmp.Or(max(opts.BodyTimeout, 0), DefaultBodyTimeout)
	g.maxImport = cmp.Or(opts.MaxImportBytes, DefaultMaxImportBytes) // negative: no limit
	g.keySlots = newKeySlots(cmp.Or(opts.MaxConcurrentPerKey, DefaultMaxConcurrentPerKey))
	switch {
	case opts.Authenticator != nil:
		g.authn = opts.Authenticator
	case opts.AdminKeyHash != nil:
		// the bootstrap admin key, then the keys created through the API
		g.authn = auth.Chain{auth.NewStaticKey(opts.AdminKeyHash), eng.Keys()}
	}
	if g.opts.Version == "" {
		g.opts.Version = "dev"
	}
	g.hosts = newHosts(opts.AllowedHosts)
	g.origins = newOrigins(opts.CORSOrigins, g.authn == nil)
	g.metrics = newMetrics(eng)
	g.unmatched = g.metrics.route(unmatchedKey)
	g.registerRoutes()
	return g
}

// registerRoutes lists every route of the API. openapi.go describes each one
// and a test keeps the two lists equal.
func (g *Gateway) registerRoutes() {
	const open = true
	g.handle("GET /{$}", open, g.root)
	g.handle("GET /health", open, g.health)
	g.handle("GET /metrics", open, g.metricsAccess(g.serveMetrics))
	g.handle("GET /openapi.json", open, g.openAPI)
	g.handle("GET /docs", open, g.docs)

	g.handle("POST /admin/databases/spawn/{db}", !open, g.spawn)
	g.handle("POST /admin/databases/prune/{db}", !open, g.prune)
	g.handle("GET /admin/databases", !open, g.listDatabases)
	g.handle("GET /admin/discovery", !open, g.discovery)
	g.handle("GET /admin/gateway/stats", !open, g.gatewayStats)
	g.handle("GET /admin/databases/{db}", !open, g.details)
	g.handle("DELETE /admin/databases/{db}", !open, g.deleteDatabase)
	g.handle("GET /admin/databases/{db}/stats", !open, g.databaseStats)

	g.handle("POST /api/db/{db}/query", !open, g.query)
	g.handle("POST /api/db/{db}/tables", !open, g.createTable)
	g.handle("POST /api/db/{db}/tables/{table}/rows", !open, g.insertRows)
	g.handle("GET /api/db/{db}/tables/{table}/rows", !open, g.selectRows)
	g.handle("GET /api/db/{db}/schema", !open, g.schema)
	g.handle("POST /api/db/{db}/explain", !open, g.explain)

	g.handle("POST /admin/keys", !open, g.createKey)
	g.handle("GET /admin/keys", !open, g.listKeys)
	g.handle("DELETE /admin/keys/{id}", !open, g.revokeKey)
	g.handle("GET /admin/audit", !open, g.auditLog)

	// Export, import and backup routes. Their access follows from the
	// pattern (access.go): /admin is admin-only, GET under /api reads, other
	// /api methods write.
	g.registerTransferRoutes()

	g.handle("POST /admin/databases/{db}/fork/{to}", !open, g.fork)
	g.handle("GET /admin/templates", !open, g.listTemplates)
}

// handle registers one route; protected routes pass through guard (key,
// role, database scope, concurrency slot) first.
func (g *Gateway) handle(pattern string, open bool, h http.HandlerFunc) {
	g.routes[pattern] = g.metrics.route(pattern)
	g.patterns = append(g.patterns, pattern)
	if open {
		g.mux.Handle(pattern, h)
		return
	}
	g.mux.HandleFunc(pattern, g.guard(pattern, h))
}

// Patterns returns the registered route patterns, in registration order.
func (g *Gateway) Patterns() []string { return append([]string(nil), g.patterns...) }
