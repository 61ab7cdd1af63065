package gateway

import (
	"net/http"
	"time"
)

// RequiresKey reports whether the gateway checks API keys (false in open
// mode).
func (g *Gateway) RequiresKey() bool { return g.authn != nil }

// RequireKey guards a handler mounted beside the gateway (the MCP endpoint
// of `dbforge serve`): a request without a valid key gets the same 401 as
// a protected route, before next sees it. In open mode every request
// passes. What the key may do is still decided route by route, when next
// calls the gateway with it. Its body is bounded as a JSON body of the API
// is: --max-body, and --body-timeout to arrive, so a client that stalls it
// does not hold its connection for ever.
func (g *Gateway) RequireKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := g.authenticate(w, r); !ok {
			return
		}
		// not every writer can (httptest recorders, the in-process transport)
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(g.bodyTimeout))
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, g.maxBody)
		}
		next.ServeHTTP(w, r)
	})
}
