// Package gateway is DB-Forge's HTTP API (docs/API.md) as an
// http.Handler over an engine. It serves both `dbforge serve` and the
// in-process embedded mode.
package gateway

import (
	"cmp"
	"io"
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
	// SkipPollingAudit leaves the read-only views a client polls (see
	// pollingView) out of the audit log. Embedded mode sets it: there those
	// entries record the TUI's own refresh, not what the user did.
	SkipPollingAudit bool
	// LogRequests picks the calls Logger records a line for: all (the
	// zero value), errors only (status 400 and up) or none.
	LogRequests RequestLogMode
	// RequestLog, when set, takes the request lines instead of Logger,
	// written by the gateway in slog's text format (JSON with
	// RequestLogJSON) one Write per line, at a fraction of slog's cost
	// (e.g. a writer that buffers them off the request path).
	RequestLog     io.Writer
	RequestLogJSON bool

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
	eng      *engine.Engine
	opts     Options
	log      *slog.Logger
	reqLines *requestLines      // request lines: Options.RequestLog, when set
	authn    auth.Authenticator // nil: open mode
	maxBody  int64
	started  time.Time

	bodyTimeout time.Duration
	maxImport   int64
	keySlots    *keySlots
	hosts       hosts
	origins     origins

	mux       *http.ServeMux
	routes    map[string]*route // by pattern; fixed once New returns
	patterns  []string          // registration order
	access    map[string]access // by pattern, as registered
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
		access:  map[string]access{},
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if opts.RequestLog != nil {
		g.reqLines = newRequestLines(opts.RequestLog, opts.RequestLogJSON)
	}
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

// registerRoutes lists every route of the API with the access it demands
// (access.go). openapi.go describes each one and a test keeps the two lists
// equal. `dbforge serve` mounts one more endpoint beside these, POST /mcp
// (internal/mcp Mount): any valid key may open it (RequireKey), and each
// tool call it makes comes back through these routes with that key.
func (g *Gateway) registerRoutes() {
	g.handle("GET /{$}", accessOpen, g.root)
	g.handle("GET /health", accessOpen, g.health)
	g.handle("GET /metrics", accessMetrics, g.serveMetrics)
	g.handle("GET /openapi.json", accessOpen, g.openAPI)
	g.handle("GET /docs", accessOpen, g.docs)

	g.handle("POST /admin/databases/spawn/{db}", accessAdmin, g.spawn)
	g.handle("POST /admin/databases/prune/{db}", accessAdmin, g.prune)
	g.handle("GET /admin/databases", accessView, g.listDatabases)
	g.handle("GET /admin/discovery", accessView, g.discovery)
	g.handle("GET /admin/gateway/stats", accessGatewayWide, g.gatewayStats)
	g.handle("GET /admin/databases/{db}", accessView, g.details)
	g.handle("DELETE /admin/databases/{db}", accessAdmin, g.deleteDatabase)
	g.handle("GET /admin/databases/{db}/stats", accessView, g.databaseStats)

	// query and explain only read for a readonly key: the engine runs its
	// statements on a connection that refuses writes
	g.handle("POST /api/db/{db}/query", accessRead, g.query)
	g.handle("POST /api/db/{db}/tables", accessWrite, g.createTable)
	g.handle("POST /api/db/{db}/tables/{table}/rows", accessWrite, g.insertRows)
	g.handle("GET /api/db/{db}/tables/{table}/rows", accessRead, g.selectRows)
	g.handle("GET /api/db/{db}/schema", accessRead, g.schema)
	g.handle("POST /api/db/{db}/explain", accessRead, g.explain)

	g.handle("POST /admin/keys", accessAdmin, g.createKey)
	g.handle("GET /admin/keys", accessAdmin, g.listKeys)
	g.handle("DELETE /admin/keys/{id}", accessAdmin, g.revokeKey)
	g.handle("GET /admin/audit", accessAdmin, g.auditLog)

	g.registerTransferRoutes()

	g.handle("POST /admin/databases/{db}/fork/{to}", accessAdmin, g.fork)
	g.handle("GET /admin/templates", accessAdmin, g.listTemplates)
}

// handle registers one route with the access it demands: open routes are
// served as they are, /metrics behind its token check, every other route
// through guard (key, role, database scope, concurrency slot) first.
func (g *Gateway) handle(pattern string, acc access, h http.HandlerFunc) {
	g.routes[pattern] = g.metrics.route(pattern)
	g.patterns = append(g.patterns, pattern)
	g.access[pattern] = acc
	switch acc {
	case accessOpen:
		g.mux.Handle(pattern, h)
	case accessMetrics:
		g.mux.HandleFunc(pattern, g.metricsAccess(h))
	default:
		g.mux.HandleFunc(pattern, g.guard(pattern, acc, h))
	}
}

// Patterns returns the registered route patterns, in registration order.
func (g *Gateway) Patterns() []string { return append([]string(nil), g.patterns...) }
