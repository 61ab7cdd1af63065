package gateway

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
)

// unmatchedKey counts requests that no route matched.
const unmatchedKey = "(unmatched)"

// ServeHTTP implements http.Handler: recovery, path check, CORS headers
// and preflights, the open-mode web checks, the body deadline, routing,
// then request stats and the request log.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	hasBody := r.Body != nil && r.Body != http.NoBody
	sw := &statusWriter{ResponseWriter: w}
	if hasBody {
		// handlers read the body through a wrapper; the server's own
		// request keeps the original, which it inspects once we return
		sw.parts.req = *r
		r = &sw.parts.req
	}
	sw.req = r
	defer g.finish(sw, r, start)
	if !cleanPath(r.URL.Path) {
		// The mux would redirect to the cleaned path, which can name another
		// database; refuse instead.
		writeError(sw, badRequest("Invalid request path: empty, '.' and '..' segments are not allowed."))
		return
	}
	allowed := g.setCORSHeaders(sw, r)
	if e := g.refuseWebPage(r); e != nil {
		writeError(sw, e)
		return
	}
	if isPreflight(r) {
		preflight(sw, r, allowed)
		return
	}
	if hasBody {
		// the size limit depends on the route: takeBody applies it
		sw.body = &sw.parts.body
		sw.body.start(w, r.Body, g.bodyTimeout)
		if g.untypedBodyRefused(r) {
			sw.body.refuse = errFormBody
		}
		r.Body = sw.body
		defer sw.body.abandon()
	}
	sw.fallback = true // from here, a response with no pattern is the mux's own 404/405
	g.mux.ServeHTTP(sw, r)
}

// finish recovers a panic into a 500, then counts and logs the request.
// It must be deferred directly so that recover sees the panic.
func (g *Gateway) finish(sw *statusWriter, r *http.Request, start time.Time) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		g.log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
			slog.String("method", r.Method), slog.String("pattern", r.Pattern),
			slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		if !sw.wrote {
			sw.fallback = false
			writeError(sw, &apiError{http.StatusInternalServerError, client.CodeInternal, msgInternal})
		} else {
			sw.status = http.StatusInternalServerError
		}
	}
	status := sw.status
	if !sw.wrote {
		status = http.StatusOK
	}
	elapsed := time.Since(start)
	rt := g.routes[r.Pattern]
	if rt == nil {
		rt = g.unmatched
	}
	rt.observe(status, elapsed)
	g.total.Add(1)
	if status >= 400 {
		g.errs.Add(1)
	}
	if status >= 0 && status < len(g.byStatus) {
		g.byStatus[status].Add(1)
	}
	if !g.opts.DisableAudit && rt != g.unmatched {
		g.audit(sw, r, rt.pattern, status, start, elapsed)
	}
	if g.opts.LogRequests.logs(status) {
		if g.reqLines != nil {
			g.reqLines.write(start.Add(elapsed), r.Method, rt.pattern, status, elapsed, r.PathValue("db"))
		} else if g.log.Enabled(r.Context(), slog.LevelInfo) {
			g.logRequest(r, rt.pattern, status, start, elapsed)
		}
	}
}

// logRequest writes a request's line: never the key, the body or SQL
// parameters. The record goes to the handler directly, as Logger.LogAttrs
// would send it but without a source position (LogAttrs walks the stack
// for one on every call, and it would only ever name this function) and
// stamped with the time the request ended from the clock reading already
// taken, not another one.
func (g *Gateway) logRequest(r *http.Request, pattern string, status int, start time.Time, elapsed time.Duration) {
	rec := slog.NewRecord(start.Add(elapsed), slog.LevelInfo, "request", 0)
	rec.AddAttrs(
		slog.String("method", r.Method),
		slog.String("pattern", pattern),
		slog.Int("status", status),
		slog.Duration("duration", elapsed),
		slog.String("db", r.PathValue("db")))
	g.log.Handler().Handle(r.Context(), rec)
}

// cleanPath reports whether p has no empty, "." or ".." segment (a
// trailing slash is allowed: no route has one, so it is a plain 404).
// The mux answers any other path with an HTML redirect to its cleaned
// form ("//" → "/"), which is neither JSON nor safe.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	if p == "/" {
		return true
	}
	p = strings.TrimSuffix(p[1:], "/")
	if p == "" {
		return false // "//"
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// statusWriter records the status for stats and turns the mux's plain-text
// 404/405 answers into JSON errors.
type statusWriter struct {
	http.ResponseWriter
	req      *http.Request
	status   int
	wrote    bool
	fallback bool // the mux is serving; no pattern means its own error
	swallow  bool // body already replaced
	info     reqInfo
	body     *requestBody // the request body; nil when there is none
	parts    callParts
}

// callParts hold a request's per-call pieces inside its statusWriter, so
// that a call allocates them once, together.
type callParts struct {
	req  http.Request // the handlers' copy of a request with a body
	body requestBody
	pre  preread
}

// reqInfo is what handlers learn about a request for the audit log.
type reqInfo struct {
	principal auth.Principal
	authed    bool   // principal is set
	kind      string // statement kind (engine.Kind*), "" if the handler set none
	rows      int64  // rows returned or changed
}

// infoOf returns the request's reqInfo, or nil for a writer that did not
// come through ServeHTTP.
func infoOf(w http.ResponseWriter) *reqInfo {
	if sw, ok := w.(*statusWriter); ok {
		return &sw.info
	}
	return nil
}

// note records a request's statement kind and row count for the audit log.
func note(w http.ResponseWriter, kind string, rows int64) {
	if info := infoOf(w); info != nil {
		info.kind, info.rows = kind, rows
	}
}

func (sw *statusWriter) WriteHeader(code int) {
	if sw.wrote {
		return
	}
	sw.wrote = true
	sw.status = code
	if sw.body != nil && !sw.body.eof && sw.req.ProtoMajor == 1 {
		// answered before the body was read to its end (a refusal, a limit):
		// close the connection rather than wait for the rest of the body
		sw.Header().Set("Connection", "close")
	}
	if sw.fallback && sw.req.Pattern == "" && code >= 400 {
		e := &apiError{code, client.CodeRouteNotFound, "Not found."}
		if code == http.StatusMethodNotAllowed {
			e = &apiError{code, client.CodeMethodNotAllowed, "Method not allowed."}
		}
		h := sw.Header()
		h.Del("Content-Length")
		h.Set("Content-Type", "application/json")
		sw.ResponseWriter.WriteHeader(code)
		sw.ResponseWriter.Write(appendError(nil, e))
		sw.swallow = true
		return
	}
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	if !sw.wrote {
		sw.WriteHeader(http.StatusOK)
	}
	if sw.swallow {
		return len(b), nil
	}
	return sw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// writeRaw sends an already encoded JSON body.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if len(body) > autoLengthMax {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	w.Write(body)
}

// autoLengthMax is the largest body writeRaw leaves to net/http to give a
// Content-Length: a body that fits its 2 KiB response buffer is measured
// when the handler returns, at no cost to the call (each header the
// handler sets is copied again when the header is written).
const autoLengthMax = 1024

// RequestLogMode picks the calls the request log records.
type RequestLogMode int

const (
	LogAllRequests   RequestLogMode = iota // every call
	LogErrorRequests                       // calls answered 400 or above
	LogNoRequests                          // none
)

// ParseRequestLogMode reads "all", "errors" or "off".
func ParseRequestLogMode(s string) (RequestLogMode, error) {
	switch s {
	case "all":
		return LogAllRequests, nil
	case "errors":
		return LogErrorRequests, nil
	case "off":
		return LogNoRequests, nil
	}
	return 0, fmt.Errorf("request log mode must be all, errors or off, not %q", s)
}

func (m RequestLogMode) logs(status int) bool {
	switch m {
	case LogNoRequests:
		return false
	case LogErrorRequests:
		return status >= 400
	}
	return true
}
