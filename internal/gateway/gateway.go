// Package gateway is DB-Forge's HTTP API (shared/design/API.md) as an
// http.Handler over an engine. It serves both `dbforge serve` and the
// in-process embedded mode.
package gateway

import (
	"log/slog"
	"net/http"

	"github.com/dbforge/dbforge/internal/engine"
)

// Options configure a Gateway. The zero value runs open (no key), logs
// nowhere, and uses default limits.
type Options struct {
	Version      string
	Logger       *slog.Logger // nil discards logs
	AdminKeyHash []byte       // SHA-256 of the admin key; nil runs open
	MaxBodyBytes int64        // request body limit; default 32 MiB
}

// Gateway serves the DB-Forge API.
type Gateway struct {
	eng  *engine.Engine
	opts Options
}

// New builds the gateway over an open engine.
func New(eng *engine.Engine, opts Options) *Gateway {
	return &Gateway{eng: eng, opts: opts}
}

// ServeHTTP implements http.Handler.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, `{"detail":"not implemented"}`, http.StatusNotImplemented)
}
