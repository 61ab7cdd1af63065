package gateway

import (
	"net/http"
	"strings"
)

// CORS: browsers let a page of another origin read an answer only if the
// answer names that origin (or "*"), and ask first (a preflight OPTIONS)
// before sending a request with an API key or a JSON body. Keys travel in
// headers, never in cookies, so no credentials are ever allowed.

// corsAllowedHeaders are the request headers a page may always send.
var corsAllowedHeaders = []string{"X-API-Key", "Authorization", "Content-Type", "Accept"}

const (
	corsAllowedMethods = "GET, POST, DELETE, OPTIONS"
	corsExposedHeaders = "Retry-After, Content-Disposition, WWW-Authenticate, X-Total-Count"
	corsMaxAge         = "600" // seconds a browser may reuse a preflight's answer
)

// setCORSHeaders adds the CORS headers every answer carries, errors
// included, and reports whether the request's origin may read it.
func (g *Gateway) setCORSHeaders(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Add("Vary", "Origin") // caches must not serve one origin's answer to another
	origin := r.Header.Get("Origin")
	if origin == "" || !g.origins.allows(origin) {
		return false
	}
	// the origin itself, never "*": MK1 answers so, its scripts check it,
	// and Vary: Origin keeps caches honest
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", corsExposedHeaders)
	return true
}

// isPreflight reports whether r is a browser's CORS preflight, which
// carries no key and must not reach the routes.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a preflight of any path: 200 (as MK1 answers it) with
// the methods and headers the API uses, or 403 for an origin not allowed.
func preflight(w http.ResponseWriter, r *http.Request, allowed bool) {
	if !allowed {
		writeError(w, forbidden("This origin may not call the API: it is not in the gateway's --cors-origins."))
		return
	}
	h := w.Header()
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Access-Control-Allow-Methods", corsAllowedMethods)
	h.Set("Access-Control-Allow-Headers", allowHeaders(r.Header.Get("Access-Control-Request-Headers")))
	h.Set("Access-Control-Max-Age", corsMaxAge)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// allowHeaders is the header names the page asked for, then the fixed
// list (keys are what protect the API, not header names); anything that is
// not a header name is left out. The requested ones come first, as MK1
// echoes them.
func allowHeaders(requested string) string {
	var out []string
	for name := range strings.SplitSeq(requested, ",") {
		name = strings.TrimSpace(name)
		if !isToken(name) || containsFold(out, name) {
			continue
		}
		out = append(out, name)
	}
	for _, name := range corsAllowedHeaders {
		if !containsFold(out, name) {
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// isToken reports whether s is an HTTP token (a valid header name).
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}
