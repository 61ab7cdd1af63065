package gateway

import (
	"net/http"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// access is what a route demands of the key that calls it. Every route
// names its access where it is registered (gateway.go registerRoutes,
// transfer.go registerTransferRoutes); the OpenAPI document's security
// comes from the same declaration.
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
	// accessOpen: no key needed (meta routes: welcome, health, this
	// contract).
	accessOpen
	// accessMetrics: the metrics token or an unscoped admin key
	// (metrics_access.go); open when the gateway runs without keys.
	accessMetrics
)

// String names the access level in the OpenAPI document (its x-access
// field).
func (a access) String() string {
	switch a {
	case accessAdmin:
		return "admin"
	case accessGatewayWide:
		return "gateway-wide"
	case accessView:
		return "view"
	case accessRead:
		return "read"
	case accessWrite:
		return "write"
	case accessOpen:
		return "open"
	case accessMetrics:
		return "metrics"
	}
	return "unknown"
}

// onDatabase reports whether a route with this access runs on its {db}:
// it needs the database to exist and takes a concurrency slot on it.
func (a access) onDatabase() bool { return a == accessRead || a == accessWrite }

// openPrincipal is who a request is when the gateway runs without keys.
var openPrincipal = auth.Principal{Role: auth.RoleAdmin}

// guard wraps a protected route: it authenticates the key, checks the
// route's role and database scope, takes a concurrency slot on the
// database, and leaves the principal where handlers and the audit log find
// it.
func (g *Gateway) guard(pattern string, acc access, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := g.authenticate(w, r)
		if !ok {
			return
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
		adm, err := g.admit(w, r, pattern, acc, p)
		if err != nil {
			g.fail(w, r, err)
			return
		}
		defer adm.release()
		h(w, r)
	}
}

// authenticate finds who the request's key belongs to (admin in open
// mode); it answers 401 itself and reports false when the key is missing or
// unknown.
func (g *Gateway) authenticate(w http.ResponseWriter, r *http.Request) (auth.Principal, bool) {
	if g.authn == nil {
		return openPrincipal, true
	}
	key, ok := auth.FromRequest(r)
	if !ok || key == "" {
		writeError(w, &apiError{http.StatusUnauthorized, client.CodeUnauthorized, msgMissingKey})
		return auth.Principal{}, false
	}
	p, err := g.authn.Authenticate(key)
	if err != nil {
		writeError(w, &apiError{http.StatusUnauthorized, client.CodeUnauthorized, msgInvalidKey})
		return auth.Principal{}, false
	}
	return p, true
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
func (g *Gateway) admit(w http.ResponseWriter, r *http.Request, pattern string, acc access, p auth.Principal) (admission, error) {
	db := r.PathValue("db")
	onDB := db != "" && acc.onDatabase()
	if onDB {
		if err := g.eng.Exists(db); err != nil {
			return admission{}, err
		}
	}
	if err := g.takeBody(w, r, pattern); err != nil {
		return admission{}, err
	}
	if !onDB {
		return admission{}, nil
	}
	keyed := g.authn != nil // open mode has no keys and no per-key limit
	if keyed {
		if err := g.keySlots.enter(p.KeyID); err != nil {
			return admission{}, err
		}
	}
	slot, err := g.eng.Enter(db)
	if err != nil {
		if keyed {
			g.keySlots.leave(p.KeyID)
		}
		return admission{}, err
	}
	a := admission{db: slot}
	if keyed {
		a.keys, a.key = g.keySlots, p.KeyID
	}
	return a, nil
}

// admission is what admit took for a call: a slot of its database and,
// with keys, one of its key's. The zero admission holds nothing.
type admission struct {
	db   engine.CallSlot
	keys *keySlots // nil in open mode and for calls on no database
	key  string
}

func (a *admission) release() {
	a.db.Leave()
	if a.keys != nil {
		a.keys.leave(a.key)
		a.keys = nil
	}
}

func forbidden(msg string) *apiError {
	return &apiError{http.StatusForbidden, client.CodeForbidden, msg}
}

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
