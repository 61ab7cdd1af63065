package gateway

import (
	"log/slog"
	"net/http"
	"time"
)

// health reports liveness for load balancers and the TUI: 200 when every
// check passes, 503 with the failures otherwise.
func (g *Gateway) health(w http.ResponseWriter, r *http.Request) {
	checks := map[string]string{"filesystem": "ok", "engine": "ok"}
	var errs []string
	if err := g.eng.CheckDataDir(); err != nil {
		// the cause names local paths: log it, answer in general terms
		g.log.LogAttrs(r.Context(), slog.LevelError, "health check failed", slog.String("error", err.Error()))
		checks["filesystem"] = "failed"
		errs = append(errs, "filesystem: data directory not writable")
	}
	running, stopped, err := g.eng.Counts(r.Context())
	if err != nil {
		checks["engine"] = "failed"
		errs = append(errs, "engine: "+err.Error())
	}
	body := map[string]any{
		"status":         "healthy",
		"version":        g.opts.Version,
		"uptime_seconds": time.Since(g.started).Seconds(),
		"databases":      map[string]int{"running": running, "stopped": stopped},
		"checks":         checks,
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusServiceUnavailable
		body["status"] = "unhealthy"
		body["errors"] = errs
	}
	g.writeJSON(w, r, status, body)
}
