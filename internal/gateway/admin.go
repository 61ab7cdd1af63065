package gateway

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// writeJSON encodes v with encoding/json; for the admin plane, where
// responses are small and shapes are structs.
func (g *Gateway) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, g.engineError(r, err))
		return
	}
	writeRaw(w, status, b)
}

// fail answers with the error's mapped status and message.
func (g *Gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, g.engineError(r, err))
}

func (g *Gateway) root(w http.ResponseWriter, r *http.Request) {
	g.writeJSON(w, r, http.StatusOK, client.MessageResult{Message: "Praetorian DB-Forge is online."})
}

// MK1's spawn messages; its scripts match them literally.
const (
	msgSpawned       = "Database instance spawned successfully."
	msgAlreadyExists = "Database instance already exists and is running."
)

func (g *Gateway) spawn(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Backend  string  `json:"backend"`
		Template *string `json:"template"`
		FromSQL  *string `json:"from_sql"`
	}
	if err := g.decodeBody(r, &body, true); err != nil {
		g.fail(w, r, err)
		return
	}
	name := r.PathValue("db")
	if body.Template != nil || body.FromSQL != nil {
		g.spawnFrom(w, r, name, body.Backend, body.Template, body.FromSQL)
		return
	}
	// Only to word the answer: a pruned instance is started again, not "already running".
	prev, prevErr := g.eng.Get(r.Context(), name)
	inst, created, err := g.eng.Spawn(r.Context(), name, body.Backend)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	resp := wireSpawn(inst)
	status := http.StatusOK
	switch {
	case created:
		status = http.StatusCreated
		resp.Message = msgSpawned
	case prevErr == nil && prev.Status == engine.StatusStopped:
		// MK1 prunes by removing the container, so its re-spawn is a new
		// spawn: 201 and the same message; "restarted" says the data was kept.
		status = http.StatusCreated
		resp.Message = msgSpawned
		resp.Restarted = true
	default:
		resp.Message = msgAlreadyExists
	}
	g.writeJSON(w, r, status, resp)
}

func (g *Gateway) prune(w http.ResponseWriter, r *http.Request) {
	inst, err := g.eng.Prune(r.Context(), r.PathValue("db"))
	if err != nil {
		if ae := g.engineError(r, err); ae.code == client.CodeNotFound {
			ae.msg = msgInstNotFound
			writeError(w, ae)
			return
		}
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, client.MessageResult{
		DBName: inst.Name, Message: "Database instance pruned successfully.", Status: string(inst.Status),
	})
}

// listDatabases answers MK1's list of running instances; ?status=all (or
// stopped) includes pruned ones. Extensions: ?prefix= keeps the names
// starting with it, ?limit=&offset= page the list by name; with any of
// them the answer, still a list, carries X-Total-Count (the matches).
func (g *Gateway) listDatabases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter := q.Get("status")
	switch filter {
	case "", "running", "all", "stopped":
	default:
		writeError(w, invalid("Query parameter 'status' must be running, stopped or all."))
		return
	}
	f := engine.ListFilter{Running: filter != "stopped", Stopped: filter == "all" || filter == "stopped", Prefix: q.Get("prefix")}
	var ok bool
	if f.Limit, ok = intParam(q.Get("limit"), 1, maxListPage); !ok {
		writeError(w, invalid("Query parameter 'limit' must be an integer from 1 to "+strconv.Itoa(maxListPage)+"."))
		return
	}
	if f.Offset, ok = intParam(q.Get("offset"), 0, math.MaxInt); !ok {
		writeError(w, invalid("Query parameter 'offset' must be a non-negative integer."))
		return
	}
	if p := principal(w); len(p.Databases) > 0 {
		f.Match = p.CanAccess
	}
	list, total, err := g.eng.ListPage(r.Context(), f)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	if q.Has("prefix") || q.Has("limit") || q.Has("offset") {
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
	}
	out := make([]client.Database, 0, len(list))
	for _, in := range list {
		out = append(out, wireDatabase(in))
	}
	g.writeJSON(w, r, http.StatusOK, out)
}

// maxListPage bounds ?limit= of the database list.
const maxListPage = 10000

// intParam parses an optional integer query parameter within [lo, hi];
// absent is 0.
func intParam(s string, lo, hi int) (int, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

func (g *Gateway) discovery(w http.ResponseWriter, r *http.Request) {
	list, err := g.eng.List(r.Context(), true)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	list = visible(principal(w), list)
	out := make([]client.DiscoveryEntry, len(list))
	for i, in := range list {
		out[i] = client.DiscoveryEntry{DBName: in.Name, Status: string(in.Status)}
	}
	g.writeJSON(w, r, http.StatusOK, out)
}

func (g *Gateway) details(w http.ResponseWriter, r *http.Request) {
	d, err := g.eng.Details(r.Context(), r.PathValue("db"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, wireDetails(d))
}

func (g *Gateway) deleteDatabase(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("db")
	if !engine.ValidName(name) {
		g.fail(w, r, engine.ErrInvalidName)
		return
	}
	if force, _ := strconv.ParseBool(r.URL.Query().Get("force")); !force {
		writeError(w, badRequest("Deleting a database removes its files for good; repeat with ?force=true to confirm. To stop it and keep the data, prune it instead."))
		return
	}
	if err := g.eng.Delete(r.Context(), name); err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, client.MessageResult{DBName: name, Message: "Database deleted permanently."})
}

func (g *Gateway) databaseStats(w http.ResponseWriter, r *http.Request) {
	st, err := g.eng.Stats(r.Context(), r.PathValue("db"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	if st.Series == nil {
		st.Series = []engine.Sample{}
	}
	g.writeJSON(w, r, http.StatusOK, wireStats(st))
}

// gatewayStats is MK1's request summary, keyed by route pattern (never raw
// paths, which would grow without bound) and by status code.
func (g *Gateway) gatewayStats(w http.ResponseWriter, r *http.Request) {
	byRoute := map[string]int64{}
	for _, p := range g.patterns {
		if n := g.routes[p].count.Load(); n > 0 {
			byRoute[p] = n
		}
	}
	if n := g.unmatched.count.Load(); n > 0 {
		byRoute[unmatchedKey] = n
	}
	byStatus := map[string]int64{}
	for code := 400; code < len(g.byStatus); code++ {
		if n := g.byStatus[code].Load(); n > 0 {
			byStatus[strconv.Itoa(code)] = n
		}
	}
	g.writeJSON(w, r, http.StatusOK, client.GatewayStats{
		ErrorsByType:       byStatus,
		RequestsByEndpoint: byRoute,
		TotalErrors:        g.errs.Load(),
		TotalRequests:      g.total.Load(),
		UptimeSeconds:      time.Since(g.started).Seconds(),
	})
}
