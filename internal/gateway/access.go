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
	// accessAdmin: admin keys only (lifecycle, keys, audit, backups); a
	// scoped admin key only on its databases (handlers filter keys and audit).
	accessAdmin access = iota
	// accessGatewayWide: views of the whole gateway (every tenant's
	// traffic); unscoped admin keys only.
	accessGatewayWide
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
	case "GET /admin/gateway/stats":
		return accessGatewayWide
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
		case (acc == accessAdmin || acc == accessGatewayWide) && !p.IsAdmin():
			writeError(w, forbidden("This route needs an admin key."))
			return
		case acc == accessWrite && !p.CanWrite():
			writeError(w, forbidden("This key is read-only: it may not write."))
			return
		case acc == accessGatewayWide && p.Scoped():
			writeError(w, forbidden(msgGatewayWide))
			return
		case db != "" && !p.CanAccess(db):
			// the same answer whether or not the database exists
			writeError(w, forbidden(msgNotInScope))
			return
		}
		release, err := g.admit(w, r, pattern, acc, p)
		if err != nil {
			g.fail(w, r, err)
			return
		}
		defer release()
		h(w, r)
	}
}

// msgNotInScope refuses a database outside the key's scope.
const msgNotInScope = "This key is not scoped to this database."

// msgGatewayWide refuses a view of every tenant to a key that is not an
// unscoped admin key.
const msgGatewayWide = "This view covers every database: it needs an admin key that is not scoped."

// admit runs once the key may make the call. A call that runs on a
// database is refused at once if the database does not exist; then the
// body is read (streamed bodies only bounded), and only then does the
// call take a slot of its key and of its database, so a client that
// stalls its body holds no slot.
func (g *Gateway) admit(w http.ResponseWriter, r *http.Request, pattern string, acc access, p auth.Principal) (release func(), err error) {
	db := r.PathValue("db")
	onDB := db != "" && acc >= accessRead
	if onDB {
		if err := g.eng.Exists(db); err != nil {
			return nil, err
		}
	}
	if err := g.takeBody(w, r, pattern); err != nil {
		return nil, err
	}
	if !onDB {
		return func() {}, nil
	}
	leaveKey := func() {}
	if g.authn != nil {
		if leaveKey, err = g.keySlots.enter(p.KeyID); err != nil {
			return nil, err
		}
	}
	leaveDB, err := g.eng.Enter(db)
	if err != nil {
		leaveKey()
		return nil, err
	}
	return func() { leaveDB(); leaveKey() }, nil
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
