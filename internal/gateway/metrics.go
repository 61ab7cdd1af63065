package gateway

import (
	"cmp"
	"compress/gzip"
	"context"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
	prom "github.com/dbforge/dbforge/internal/metrics"
)

// httpDurationBounds are the upper bounds (seconds) of
// dbforge_http_request_duration_seconds.
func httpDurationBounds() []float64 {
	return []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
}

// metrics is one Gateway's Prometheus exposition: request counts and
// latency by route and status, kept with atomics as requests end, plus
// per-database, audit, Go and process figures read at scrape time.
type metrics struct {
	eng    *engine.Engine
	routes []*route // every route made by route(), all during New
}

func newMetrics(eng *engine.Engine) *metrics {
	return &metrics{eng: eng}
}

// Status codes from firstStatus to firstStatus+statusSlots-1 are counted
// in an array; the rare others (600–999) under a mutex.
const firstStatus, statusSlots = 100, 500

// route holds one pattern's counters, made once at New, so the hot path
// (observe) is atomic adds only: no label lookup, map or lock.
type route struct {
	pattern  string
	count    atomic.Int64
	duration *prom.Histogram
	byStatus atomic.Pointer[statusCounters] // made by the route's first request

	otherMu sync.Mutex
	other   map[int]uint64 // statuses outside statusCounters
}

// statusCounters count a route's answers by status, index status -
// firstStatus. 4 KB, so a gateway's routes get theirs only once called:
// an embedded one-shot command calls one route.
type statusCounters [statusSlots]prom.Counter

// route makes the counters of one pattern. It is called while New builds
// the route table, before any request or scrape.
func (m *metrics) route(pattern string) *route {
	rt := &route{pattern: pattern, duration: prom.NewHistogram(httpDurationBounds())}
	m.routes = append(m.routes, rt)
	return rt
}

func (rt *route) observe(status int, d time.Duration) {
	rt.count.Add(1)
	rt.duration.Observe(d.Seconds())
	if i := status - firstStatus; i >= 0 && i < statusSlots {
		rt.statusCounters()[i].Inc()
		return
	}
	rt.otherMu.Lock()
	if rt.other == nil {
		rt.other = map[int]uint64{}
	}
	rt.other[status]++
	rt.otherMu.Unlock()
}

// statusCounters returns the route's counters, making them on first use
// without a lock: of two first requests racing, one's array wins.
func (rt *route) statusCounters() *statusCounters {
	if c := rt.byStatus.Load(); c != nil {
		return c
	}
	rt.byStatus.CompareAndSwap(nil, new(statusCounters))
	return rt.byStatus.Load()
}

// statusCounts lists the statuses this route answered with, by code.
func (rt *route) statusCounts() (codes []int, counts []uint64) {
	if c := rt.byStatus.Load(); c != nil {
		for i := range c {
			if n := c[i].Value(); n > 0 {
				codes, counts = append(codes, firstStatus+i), append(counts, n)
			}
		}
	}
	rt.otherMu.Lock()
	defer rt.otherMu.Unlock()
	for _, code := range slices.Sorted(maps.Keys(rt.other)) {
		codes, counts = append(codes, code), append(counts, rt.other[code])
	}
	return codes, counts
}

func (g *Gateway) serveMetrics(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	fams := g.metrics.families(ctx)
	w.Header().Set("Content-Type", prom.ContentType)
	w.Header().Add("Vary", "Accept-Encoding")
	var out io.Writer = w
	if acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		out = zw
	}
	// a write error is the scraper gone: there is no one left to answer
	prom.WriteText(out, fams)
}

// acceptsGzip reports whether the scraper takes a gzip body, as
// Prometheus does: a 10,000-database exposition is ~10 MB of text.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// families are every family /metrics serves, their samples read now.
func (m *metrics) families(ctx context.Context) []prom.Family {
	routes := slices.SortedFunc(slices.Values(m.routes), func(a, b *route) int { return cmp.Compare(a.pattern, b.pattern) })
	fams := []prom.Family{
		{Name: "dbforge_http_requests_total", Help: "HTTP requests served, by route pattern and status code.", Type: prom.TypeCounter, Write: func(w *prom.Writer) {
			for _, rt := range routes {
				codes, counts := rt.statusCounts()
				for i, code := range codes {
					w.Sample("dbforge_http_requests_total", []prom.Label{{Name: "route", Value: rt.pattern}, {Name: "status", Value: strconv.Itoa(code)}}, float64(counts[i]))
				}
			}
		}},
		{Name: "dbforge_http_request_duration_seconds", Help: "HTTP request latency, by route pattern.", Type: prom.TypeHistogram, Write: func(w *prom.Writer) {
			for _, rt := range routes {
				w.Histogram("dbforge_http_request_duration_seconds", []prom.Label{{Name: "route", Value: rt.pattern}}, rt.duration.Snapshot())
			}
		}},
		{Name: "dbforge_audit_entries_written_total", Help: "Audit log entries written.", Type: prom.TypeCounter, Write: func(w *prom.Writer) {
			written, _ := m.eng.AuditStats()
			w.Sample("dbforge_audit_entries_written_total", nil, float64(written))
		}},
		{Name: "dbforge_audit_entries_dropped_total", Help: "Audit log entries lost: the queue was full or a write failed.", Type: prom.TypeCounter, Write: func(w *prom.Writer) {
			_, dropped := m.eng.AuditStats()
			w.Sample("dbforge_audit_entries_dropped_total", nil, float64(dropped))
		}},
	}
	fams = append(fams, databaseFamilies(readDatabases(ctx, m.eng))...)
	fams = append(fams, prom.GoFamilies()...)
	return append(fams, prom.ProcessFamilies()...)
}

// dbSample is what a scrape keeps of one database between reading the
// engine and writing its seven families: a few hundred bytes, so a scrape
// of 10,000 databases holds a few MB, never the text.
type dbSample struct {
	name                                         string
	running                                      bool
	queries, errors, rowsRead, rowsWritten, size int64
	latency                                      *prom.HistogramSnapshot // nil when the engine has none
}

// readDatabases reads every database's figures once, by name.
func readDatabases(ctx context.Context, eng *engine.Engine) []dbSample {
	list, err := eng.List(ctx, true)
	if err != nil {
		return nil
	}
	bounds := engine.QueryHistogramBounds()
	out := make([]dbSample, 0, len(list))
	for _, in := range list {
		st, err := eng.Stats(ctx, in.Name)
		if err != nil {
			continue
		}
		s := dbSample{name: in.Name, running: st.Status == engine.StatusRunning,
			queries: st.QueriesTotal, errors: st.ErrorsTotal, rowsRead: st.RowsRead, rowsWritten: st.RowsWritten, size: st.SizeBytes}
		if h, err := eng.QueryHistogram(in.Name); err == nil {
			snap := prom.HistogramSnapshot{Bounds: bounds, Cumulative: make([]uint64, len(bounds)), Count: h.Count, Sum: h.SumSeconds}
			for i, b := range bounds {
				snap.Cumulative[i] = h.Buckets[b]
			}
			s.latency = &snap
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b dbSample) int { return cmp.Compare(a.name, b.name) })
	return out
}

// databaseFamilies are the per-database families over one reading.
func databaseFamilies(dbs []dbSample) []prom.Family {
	value := func(name, help string, typ prom.Type, v func(dbSample) float64) prom.Family {
		return prom.Family{Name: name, Help: help, Type: typ, Write: func(w *prom.Writer) {
			for _, d := range dbs {
				w.Sample(name, []prom.Label{{Name: "db", Value: d.name}}, v(d))
			}
		}}
	}
	return []prom.Family{
		value("dbforge_db_queries_total", "Statements run against the database.", prom.TypeCounter, func(d dbSample) float64 { return float64(d.queries) }),
		value("dbforge_db_errors_total", "Statements that failed.", prom.TypeCounter, func(d dbSample) float64 { return float64(d.errors) }),
		value("dbforge_db_rows_read_total", "Rows returned.", prom.TypeCounter, func(d dbSample) float64 { return float64(d.rowsRead) }),
		value("dbforge_db_rows_written_total", "Rows changed.", prom.TypeCounter, func(d dbSample) float64 { return float64(d.rowsWritten) }),
		value("dbforge_db_size_bytes", "Database file plus WAL size.", prom.TypeGauge, func(d dbSample) float64 { return float64(d.size) }),
		value("dbforge_db_running", "1 when the database is running, 0 when stopped.", prom.TypeGauge, func(d dbSample) float64 {
			if d.running {
				return 1
			}
			return 0
		}),
		{Name: "dbforge_db_query_duration_seconds", Help: "Statement latency, by database.", Type: prom.TypeHistogram, Write: func(w *prom.Writer) {
			for _, d := range dbs {
				if d.latency != nil {
					w.Histogram("dbforge_db_query_duration_seconds", []prom.Label{{Name: "db", Value: d.name}}, *d.latency)
				}
			}
		}},
	}
}
