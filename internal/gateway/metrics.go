package gateway

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dbforge/dbforge/internal/engine"
)

// metrics is one Gateway's Prometheus registry: request counts and latency
// by route and status, plus per-database figures read from the engine at
// scrape time.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(eng *engine.Engine) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dbforge_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dbforge_http_request_duration_seconds",
			Help:    "HTTP request latency, by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "dbforge_audit_entries_written_total",
			Help: "Audit log entries written.",
		}, func() float64 { w, _ := eng.AuditStats(); return float64(w) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "dbforge_audit_entries_dropped_total",
			Help: "Audit log entries lost: the queue was full or a write failed.",
		}, func() float64 { _, d := eng.AuditStats(); return float64(d) }))
	m.reg.MustRegister(m.requests, m.duration, newDBCollector(eng),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// route holds one pattern's counters, resolved once so the hot path does
// no label lookups.
type route struct {
	pattern  string
	count    atomic.Int64
	duration prometheus.Observer
	requests *prometheus.CounterVec
	byStatus sync.Map // int → prometheus.Counter
}

func (m *metrics) route(pattern string) *route {
	return &route{pattern: pattern, duration: m.duration.WithLabelValues(pattern), requests: m.requests}
}

func (rt *route) observe(status int, d time.Duration) {
	rt.count.Add(1)
	rt.duration.Observe(d.Seconds())
	c, ok := rt.byStatus.Load(status)
	if !ok {
		c, _ = rt.byStatus.LoadOrStore(status, rt.requests.WithLabelValues(rt.pattern, strconv.Itoa(status)))
	}
	c.(prometheus.Counter).Inc()
}

func (g *Gateway) serveMetrics(w http.ResponseWriter, r *http.Request) {
	g.metrics.handler.ServeHTTP(w, r)
}

// dbCollector reports per-database figures from the engine on each scrape:
// counters (_total), gauges, and statement latency as a histogram in
// seconds, read from the engine's own histogram so nothing is counted twice.
type dbCollector struct {
	eng                                     *engine.Engine
	queries, errors, rowsR, rowsW, size, up *prometheus.Desc
	latency                                 *prometheus.Desc
}

func newDBCollector(eng *engine.Engine) *dbCollector {
	db := []string{"db"}
	return &dbCollector{
		eng:     eng,
		queries: prometheus.NewDesc("dbforge_db_queries_total", "Statements run against the database.", db, nil),
		errors:  prometheus.NewDesc("dbforge_db_errors_total", "Statements that failed.", db, nil),
		rowsR:   prometheus.NewDesc("dbforge_db_rows_read_total", "Rows returned.", db, nil),
		rowsW:   prometheus.NewDesc("dbforge_db_rows_written_total", "Rows changed.", db, nil),
		size:    prometheus.NewDesc("dbforge_db_size_bytes", "Database file plus WAL size.", db, nil),
		up:      prometheus.NewDesc("dbforge_db_running", "1 when the database is running, 0 when stopped.", db, nil),
		latency: prometheus.NewDesc("dbforge_db_query_duration_seconds", "Statement latency, by database.", db, nil),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.queries, c.errors, c.rowsR, c.rowsW, c.size, c.up, c.latency} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := c.eng.List(ctx, true)
	if err != nil {
		return
	}
	for _, in := range list {
		st, err := c.eng.Stats(ctx, in.Name)
		if err != nil {
			continue
		}
		up := 0.0
		if st.Status == engine.StatusRunning {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, in.Name)
		ch <- prometheus.MustNewConstMetric(c.queries, prometheus.CounterValue, float64(st.QueriesTotal), in.Name)
		ch <- prometheus.MustNewConstMetric(c.errors, prometheus.CounterValue, float64(st.ErrorsTotal), in.Name)
		ch <- prometheus.MustNewConstMetric(c.rowsR, prometheus.CounterValue, float64(st.RowsRead), in.Name)
		ch <- prometheus.MustNewConstMetric(c.rowsW, prometheus.CounterValue, float64(st.RowsWritten), in.Name)
		ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(st.SizeBytes), in.Name)
		if h, err := c.eng.QueryHistogram(in.Name); err == nil {
			ch <- prometheus.MustNewConstHistogram(c.latency, h.Count, h.SumSeconds, h.Buckets, in.Name)
		}
	}
}
