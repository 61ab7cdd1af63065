package gateway

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// spawnTemplateSchema and spawnFromSQLSchema describe the spawn body's
// template fields for the OpenAPI document.
func spawnTemplateSchema() map[string]any {
	return map[string]any{"type": "string", "description": "fill the new database from this template (GET /admin/templates); 404 TEMPLATE_NOT_FOUND if unknown, 409 if the database exists"}
}

func spawnFromSQLSchema() map[string]any {
	return map[string]any{"type": "string", "description": "fill the new database with this script, run in one transaction; a failing script creates nothing"}
}

// spawnFrom creates database name from a template or from the caller's
// SQL, in one transaction on a new file: a failing script leaves no
// database. The name must be new (a template never touches existing data).
func (g *Gateway) spawnFrom(w http.ResponseWriter, r *http.Request, name, backend string, template, fromSQL *string) {
	if backend != "" && backend != engine.BackendSQLite {
		g.fail(w, r, &engine.BadInputError{Msg: fmt.Sprintf("Templates and from_sql create SQLite databases; backend %q is not supported with them.", backend)})
		return
	}
	if template != nil && fromSQL != nil {
		writeError(w, invalid("Give either 'template' or 'from_sql', not both."))
		return
	}
	if !engine.ValidName(name) {
		g.fail(w, r, engine.ErrInvalidName)
		return
	}
	var script, tplName string
	if template != nil {
		tplName = *template
		var err error
		script, err = g.templates().SQL(tplName)
		if errors.Is(err, templates.ErrNotFound) {
			writeError(w, &apiError{http.StatusNotFound, client.CodeTemplateNotFound, g.unknownTemplate(tplName)})
			return
		}
		if err != nil {
			g.fail(w, r, err)
			return
		}
	} else {
		script = *fromSQL
	}
	inst, res, err := g.eng.SpawnScript(r.Context(), name, script)
	if errors.Is(err, engine.ErrExists) {
		writeError(w, &apiError{http.StatusConflict, client.CodeExists, "Database already exists; a template or from_sql fills a new database only."})
		return
	}
	if errors.Is(err, engine.ErrQuotaExceeded) {
		writeError(w, &apiError{http.StatusConflict, client.CodeQuotaExceeded, "The script exceeds the database size quota; nothing was created."})
		return
	}
	if err != nil {
		g.failScript(w, r, err)
		return
	}
	spawned := wireSpawn(inst)
	spawned.Message = msgSpawned
	g.writeJSON(w, r, http.StatusCreated, client.TemplateSpawnResult{SpawnResult: spawned, Template: tplName, Statements: res.Statements})
}

// templates is the configured set, or the bundled templates.
func (g *Gateway) templates() *templates.Set {
	if g.opts.Templates != nil {
		return g.opts.Templates
	}
	return templates.New("")
}

// unknownTemplate words a 404 with the names that exist.
func (g *Gateway) unknownTemplate(name string) string {
	list, _ := g.templates().List()
	names := make([]string, len(list))
	for i, t := range list {
		names[i] = t.Name
	}
	return fmt.Sprintf("Template %q not found; available: %s.", name, strings.Join(names, ", "))
}

func (g *Gateway) listTemplates(w http.ResponseWriter, r *http.Request) {
	list, err := g.templates().List()
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, wireSlice(list, wireTemplate))
}
