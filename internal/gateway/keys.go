package gateway

import (
	"net/http"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// Refusals of POST /admin/keys to a scoped admin key.
const (
	msgScopedCreateEmpty   = "A scoped admin key creates only keys scoped to its own databases: list them in 'databases' (an empty list would mean every database)."
	msgScopedCreateOutside = "A scoped admin key creates only keys scoped to its own databases."
)

func (g *Gateway) createKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name      *string  `json:"name"`
		Role      *string  `json:"role"`
		Databases []string `json:"databases"`
	}
	if err := g.decodeBody(r, &req, false); err != nil {
		g.fail(w, r, err)
		return
	}
	if req.Name == nil || req.Role == nil {
		writeError(w, invalid("Fields 'name' and 'role' are required; 'databases' (a list) is optional."))
		return
	}
	// a scoped admin is an admin of its databases only: what it creates
	// stays inside them, and nothing it creates is unscoped
	if p := principal(w); !p.Covers(req.Databases) {
		if len(req.Databases) == 0 {
			writeError(w, forbidden(msgScopedCreateEmpty))
		} else {
			writeError(w, forbidden(msgScopedCreateOutside))
		}
		return
	}
	k, plain, err := g.eng.CreateKey(r.Context(), engine.NewKey{Name: *req.Name, Role: auth.Role(*req.Role), Databases: req.Databases})
	if err != nil {
		g.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	g.writeJSON(w, r, http.StatusCreated, client.CreatedKey{
		Message: "API key created. Store it now: it is shown only this once.",
		Key:     plain,
		APIKey:  wireKey(k),
	})
}

func (g *Gateway) listKeys(w http.ResponseWriter, r *http.Request) {
	list, err := g.eng.ListKeys(r.Context())
	if err != nil {
		g.fail(w, r, err)
		return
	}
	p := principal(w)
	out := make([]client.APIKey, 0, len(list))
	for _, k := range list {
		if p.Covers(k.Databases) {
			out = append(out, wireKey(k))
		}
	}
	g.writeJSON(w, r, http.StatusOK, out)
}

func (g *Gateway) revokeKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if p := principal(w); p.Scoped() {
		// a key outside the caller's scope answers exactly like an
		// unknown id: its existence is not the caller's to learn
		k, err := g.eng.KeyByID(r.Context(), id)
		if err == nil && !p.Covers(k.Databases) {
			err = engine.ErrKeyNotFound
		}
		if err != nil {
			g.fail(w, r, err)
			return
		}
	}
	k, err := g.eng.RevokeKey(r.Context(), id)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, client.RevokedKey{Message: "API key revoked.", APIKey: wireKey(k)})
}
