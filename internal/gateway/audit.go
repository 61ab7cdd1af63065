package gateway

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// audit queues the audit entry of a finished request on a protected route.
// It records who, from where, the route pattern (never the raw path), the
// database, the statement kind and rows, the status and the duration; no
// key, body, parameter or SQL text.
func (g *Gateway) audit(sw *statusWriter, r *http.Request, pattern string, status int, start time.Time, elapsed time.Duration) {
	method, path, _ := strings.Cut(pattern, " ")
	admin := strings.HasPrefix(path, "/admin")
	if !admin && !strings.HasPrefix(path, "/api") {
		return
	}
	if g.opts.SkipPollingAudit && pollingView(pattern) {
		return
	}
	info := &sw.info
	en := engine.AuditEntry{
		Time:       start,
		KeyID:      info.principal.KeyID,
		KeyName:    info.principal.Name,
		RemoteAddr: remoteHost(r.RemoteAddr),
		Route:      pattern,
		Kind:       info.kind,
		Rows:       info.rows,
		Status:     status,
		DurationMs: float64(elapsed.Microseconds()) / 1000,
	}
	if db := r.PathValue("db"); engine.ValidName(db) {
		en.Database = db
	}
	switch {
	case en.Kind != "":
	case admin:
		en.Kind = engine.KindAdmin
	case method == http.MethodGet:
		en.Kind = engine.KindRead
	default:
		en.Kind = engine.KindWrite
	}
	if !info.authed {
		// no valid key: folded per source and second, so a flood of bad
		// keys cannot fill the log or evict real entries
		g.eng.AuditUnauthenticated(en)
		return
	}
	g.eng.Audit(en)
}

// pollingView reports the read-only routes a client refreshes on a timer
// (the TUI every 2 s): the database list, the stats and the audit log
// itself. GET /health is never audited at all.
func pollingView(pattern string) bool {
	switch pattern {
	case "GET /admin/databases", "GET /admin/databases/{db}/stats",
		"GET /admin/gateway/stats", "GET /admin/audit":
		return true
	}
	return false
}

func remoteHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	if len(addr) > 64 {
		addr = addr[:64]
	}
	return addr
}

// statementKind is what a statement did, as the engine learnt it from
// SQLite (Result.Kind), never from its text. A statement the read-only
// connection refused is a write; any other failure is "other".
func statementKind(res *engine.Result, err error) string {
	switch {
	case res != nil && res.Kind != "":
		return res.Kind
	case errors.Is(err, engine.ErrReadOnly):
		return engine.KindWrite
	}
	return engine.KindOther
}

// resultRows is the row count an audit entry records for a result.
func resultRows(res *engine.Result) int64 {
	if res == nil {
		return 0
	}
	if res.Returning {
		return int64(len(res.Rows))
	}
	return res.RowsAffected
}

// auditLog answers GET /admin/audit?limit=&db=&key=&since=, newest first.
func (g *Gateway) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f engine.AuditFilter
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, invalid("Query parameter 'limit' must be an integer from 1 to 10000."))
			return
		}
		f.Limit = n
	}
	if f.Database = q.Get("db"); f.Database != "" && !engine.ValidName(f.Database) {
		writeError(w, &apiError{http.StatusBadRequest, client.CodeInvalidName, msgInvalidName})
		return
	}
	// a scoped admin key reads the entries of its databases only; another
	// database gets guard's answer, the same whether it exists or not
	p := principal(w)
	if f.Database != "" && !p.CanAccess(f.Database) {
		writeError(w, forbidden(msgNotInScope))
		return
	}
	f.Databases = p.Databases
	if f.Key = q.Get("key"); len(f.Key) > 128 {
		writeError(w, invalid("Query parameter 'key' is too long: give a key id or name."))
		return
	}
	if s := q.Get("since"); s != "" {
		t, err := parseSince(s)
		if err != nil {
			writeError(w, invalid("Query parameter 'since' must be an RFC 3339 time or Unix seconds."))
			return
		}
		f.Since = t
	}
	entries, err := g.eng.AuditLog(r.Context(), f)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	body := map[string]any{"entries": wireSlice(entries, wireAuditEntry)}
	if !p.Scoped() {
		// gateway-wide counts: every tenant's traffic
		body["written"], body["dropped"] = g.eng.AuditStats()
	}
	g.writeJSON(w, r, http.StatusOK, body)
}

func parseSince(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 && n < 1<<40 {
		return time.Unix(n, 0), nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
