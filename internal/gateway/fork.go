package gateway

import (
	"errors"
	"net/http"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// fork copies {db} (live, or one of its backups with ?backup=) to the new
// database {to}. The guard checked {db}; a scoped key must also have {to}
// in scope, or it could make databases outside its tenancy.
//
// The pattern has five segments, so it meets neither spawn/{db} and
// prune/{db} nor {db}/{action} (four each) in the mux.
func (g *Gateway) fork(w http.ResponseWriter, r *http.Request) {
	db, to := r.PathValue("db"), r.PathValue("to")
	if !engine.ValidName(to) {
		g.fail(w, r, engine.ErrInvalidName)
		return
	}
	if !principal(w).CanAccess(to) {
		writeError(w, forbidden(msgNotInScope))
		return
	}
	f, err := g.eng.Fork(r.Context(), db, to, r.URL.Query().Get("backup"))
	switch {
	case errors.Is(err, engine.ErrBackupNotFound):
		writeError(w, &apiError{http.StatusNotFound, client.CodeBackupNotFound, "Backup not found."})
		return
	case errors.Is(err, engine.ErrQuotaExceeded):
		writeError(w, &apiError{http.StatusConflict, client.CodeQuotaExceeded, "The fork would exceed the database size quota; nothing was created."})
		return
	case err != nil:
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusCreated, wireFork("Database forked.", f))
}
