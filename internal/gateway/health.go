package gateway

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/dbforge/dbforge/client"
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
	body := client.Health{
		Checks:        checks,
		Databases:     client.HealthCounts{Running: running, Stopped: stopped},
		Errors:        errs,
		Status:        "healthy",
		UptimeSeconds: time.Since(g.started).Seconds(),
		Version:       g.opts.Version,
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusServiceUnavailable
		body.Status = "unhealthy"
	}
	g.writeJSON(w, r, status, body)
}
