package gateway

import (
	"net/http"
	"strings"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// access is what a route demands of the key that calls it.
type access int

const (
	// accessAdmin: admin keys only (lifecycle, keys, audit, backups, stats).
	accessAdmin access = iota
	// accessView: any key; a {db} must be in its scope, lists are filtered
	// to its scope.
	accessView
	// accessRead: the data plane for any key with {db} in scope; readonly
	// keys run statements on connections that refuse writes.
	accessRead
	// accessWrite: the data plane, writing; admin and readwrite keys.
	accessWrite
)

// accessFor decides a protected route's access from its pattern: the few
// admin views any key may use are listed; the rest of /admin is admin-only;
// under /api, GET and the two statement routes (which the engine keeps
// read-only for readonly keys) read, every other method writes.
func accessFor(pattern string) access {
	switch pattern {
	case "GET /admin/databases", "GET /admin/discovery",
		"GET /admin/databases/{db}", "GET /admin/databases/{db}/stats":
		return accessView
	case "POST /api/db/{db}/query", "POST /api/db/{db}/explain":
		return accessRead
	case "POST /api/db/{db}/export/query": // always on a read-only connection
		return accessRead
	}
	method, path, _ := strings.Cut(pattern, " ")
	if !strings.HasPrefix(path, "/api/") {
		return accessAdmin
	}
	if method == http.MethodGet || method == http.MethodHead {
		return accessRead
	}
	return accessWrite
}

// openPrincipal is who a request is when the gateway runs without keys.
var openPrincipal = auth.Principal{Role: auth.RoleAdmin}

// guard wraps a protected route: it authenticates the key, checks the
// route's role and database scope, takes a concurrency slot on the
// database, and leaves the principal where handlers and the audit log find
// it.
func (g *Gateway) guard(pattern string, h http.HandlerFunc) http.HandlerFunc {
	acc := accessFor(pattern)
	return func(w http.ResponseWriter, r *http.Request) {
		p := openPrincipal
		if g.authn != nil {
			key, ok := auth.FromRequest(r)
			if !ok || key == "" {
				writeError(w, &apiError{http.StatusUnauthorized, codeUnauthorized, msgMissingKey})
				return
			}
			var err error
			if p, err = g.authn.Authenticate(key); err != nil {
				writeError(w, &apiError{http.StatusUnauthorized, codeUnauthorized, msgInvalidKey})
				return
			}
		}
		if info := infoOf(w); info != nil {
			info.principal, info.authed = p, true
		}
		db := r.PathValue("db")
		switch {
		case acc == accessAdmin && !p.IsAdmin():
			writeError(w, forbidden("This route needs an admin key."))
			return
		case acc == accessWrite && !p.CanWrite():
			writeError(w, forbidden("This key is read-only: it may not write."))
			return
		case db != "" && !p.CanAccess(db):
			// the same answer whether or not the database exists
			writeError(w, forbidden("This key is not scoped to this database."))
			return
		}
		if db != "" && acc >= accessRead {
			release, err := g.eng.Enter(db)
			if err != nil {
				g.fail(w, r, err)
				return
			}
			defer release()
		}
		h(w, r)
	}
}

func forbidden(msg string) *apiError { return &apiError{http.StatusForbidden, codeForbidden, msg} }

// principal returns who the request authenticated as (admin in open mode).
func principal(w http.ResponseWriter) auth.Principal {
	if info := infoOf(w); info != nil && info.authed {
		return info.principal
	}
	return openPrincipal
}

// visible keeps the instances the principal's scope includes.
func visible(p auth.Principal, list []engine.Instance) []engine.Instance {
	if len(p.Databases) == 0 {
		return list
	}
	out := list[:0:0]
	for _, in := range list {
		if p.CanAccess(in.Name) {
			out = append(out, in)
		}
	}
	return out
}
