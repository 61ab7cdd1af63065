package gateway

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
)

// msgMetricsForbidden refuses /metrics to a key that may not see every
// tenant: the series name every database.
const msgMetricsForbidden = "Metrics name every database: they need the metrics token or an admin key that is not scoped."

// metricsAccess guards /metrics: its series name every database with its
// size and traffic, which is not public in a gateway that tenants share.
// A scrape must present the metrics token (Options.MetricsTokenHash, what
// Prometheus sends as "Authorization: Bearer") or an unscoped admin key.
// In open mode (no keys) every caller is admin and it stays open.
func (g *Gateway) metricsAccess(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if g.authn == nil {
			h(w, r)
			return
		}
		key, ok := auth.FromRequest(r)
		if !ok || key == "" {
			writeError(w, &apiError{http.StatusUnauthorized, client.CodeUnauthorized, msgMissingKey})
			return
		}
		if g.isMetricsToken(key) {
			h(w, r)
			return
		}
		p, err := g.authn.Authenticate(key)
		if err != nil {
			writeError(w, &apiError{http.StatusUnauthorized, client.CodeUnauthorized, msgInvalidKey})
			return
		}
		if !p.IsAdmin() || p.Scoped() {
			writeError(w, forbidden(msgMetricsForbidden))
			return
		}
		h(w, r)
	}
}

// isMetricsToken compares the presented key's hash with the metrics
// token's in constant time.
func (g *Gateway) isMetricsToken(key string) bool {
	if len(g.opts.MetricsTokenHash) != sha256.Size {
		return false
	}
	sum := sha256.Sum256([]byte(key))
	return subtle.ConstantTimeCompare(sum[:], g.opts.MetricsTokenHash) == 1
}
