package gateway

import (
	"net/http"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// createdKey is the answer to POST /admin/keys: the record plus the key
// itself, which is never shown again.
type createdKey struct {
	Message string `json:"message"`
	Secret  string `json:"key"`
	engine.Key
}

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
	k, plain, err := g.eng.CreateKey(r.Context(), engine.NewKey{Name: *req.Name, Role: auth.Role(*req.Role), Databases: req.Databases})
	if err != nil {
		g.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	g.writeJSON(w, r, http.StatusCreated, createdKey{
		Message: "API key created. Store it now: it is shown only this once.",
		Secret:  plain,
		Key:     k,
	})
}

func (g *Gateway) listKeys(w http.ResponseWriter, r *http.Request) {
	list, err := g.eng.ListKeys(r.Context())
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, list)
}

func (g *Gateway) revokeKey(w http.ResponseWriter, r *http.Request) {
	k, err := g.eng.RevokeKey(r.Context(), r.PathValue("id"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, struct {
		Message string `json:"message"`
		engine.Key
	}{"API key revoked.", k})
}
