package gateway

import (
	"net/http"

	"github.com/dbforge/dbforge/internal/auth"
)

// RequiresKey reports whether the gateway checks API keys (false in open
// mode).
func (g *Gateway) RequiresKey() bool { return g.authn != nil }

// RequireKey guards a handler mounted beside the gateway (the MCP endpoint
// of `dbforge serve`): a request without a valid key gets the same 401 as
// a protected route, before next sees it. In open mode every request
// passes. What the key may do is still decided route by route, when next
// calls the gateway with it.
func (g *Gateway) RequireKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.authn != nil {
			key, ok := auth.FromRequest(r)
			if !ok || key == "" {
				writeError(w, &apiError{http.StatusUnauthorized, codeUnauthorized, msgMissingKey})
				return
			}
			if _, err := g.authn.Authenticate(key); err != nil {
				writeError(w, &apiError{http.StatusUnauthorized, codeUnauthorized, msgInvalidKey})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
