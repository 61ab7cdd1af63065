package gateway

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/dbforge/dbforge/internal/engine"
)

// scrapeMetrics reads /metrics of the fixture's real server with the admin
// key (which may read it whatever the access rules for /metrics are).
func scrapeMetrics(t *testing.T, f *fixture) string {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+"/metrics", nil)
	req.Header.Set("X-API-Key", f.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, body)
	}
	return string(body)
}

// exported lists the metric names a Prometheus text exposition carries
// samples for (histogram series keep their _bucket/_sum/_count suffix).
func exported(text string) map[string]bool {
	names := map[string]bool{}
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

func TestMetricsArePrometheusShaped(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("m1")
	f.exec("m1", "CREATE TABLE t(x)")
	f.exec("m1", "SELECT 1")
	text := scrapeMetrics(t, f)
	for _, want := range []string{
		"# TYPE dbforge_http_request_duration_seconds histogram",
		`dbforge_http_request_duration_seconds_bucket{route="POST /api/db/{db}/query",le="0.005"}`,
		"# TYPE dbforge_db_query_duration_seconds histogram",
		`dbforge_db_query_duration_seconds_bucket{db="m1",le="+Inf"} 2`,
		`dbforge_db_query_duration_seconds_count{db="m1"} 2`,
		`dbforge_db_query_duration_seconds_sum{db="m1"} `,
		"# TYPE dbforge_db_queries_total counter",
		"# TYPE dbforge_http_requests_total counter",
		"# TYPE dbforge_audit_entries_dropped_total counter",
		"dbforge_audit_entries_dropped_total 0",
		"# TYPE dbforge_audit_entries_written_total counter",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(text, "dbforge_db_latency_ms") || regexp.MustCompile(`dbforge_\w+\{[^}]*quantile=`).MatchString(text) {
		t.Error("per-database latency is still a gauge with quantiles")
	}
	// every counter is named _total
	for line := range strings.SplitSeq(text, "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok && strings.HasPrefix(name, "dbforge_") && strings.HasSuffix(name, " counter") {
			if n := strings.TrimSuffix(name, " counter"); !strings.HasSuffix(n, "_total") {
				t.Errorf("counter %s is not named _total", n)
			}
		}
	}
	// buckets are cumulative: +Inf holds everything, and no bucket shrinks
	bucket := regexp.MustCompile(`(?m)^dbforge_db_query_duration_seconds_bucket\{db="m1",le="([^"]+)"\} (\d+)$`)
	prev := "0"
	for _, m := range bucket.FindAllStringSubmatch(text, -1) {
		if len(m[2]) < len(prev) || len(m[2]) == len(prev) && m[2] < prev {
			t.Errorf("bucket le=%s has %s, less than the one before (%s)", m[1], m[2], prev)
		}
		prev = m[2]
	}
}

// promQLMetricNames extracts the metric names a PromQL expression reads:
// label matchers, ranges, strings and by/without lists are dropped, and
// of what is left, identifiers not followed by "(" (functions) nor
// PromQL keywords are metric names.
func promQLMetricNames(expr string) []string {
	for _, re := range []string{`"(?:[^"\\]|\\.)*"`, `\{[^}]*\}`, `\[[^\]]*\]`, `\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`, `\b\d+\.?\d*(?:[eE][-+]?\d+)?\b`} {
		expr = regexp.MustCompile(re).ReplaceAllString(expr, " ")
	}
	keywords := map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "bool": true, "and": true, "or": true, "unless": true, "offset": true, "inf": true, "nan": true}
	var names []string
	for _, m := range regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`).FindAllStringSubmatch(expr, -1) {
		name := strings.TrimRight(strings.TrimSuffix(strings.TrimSpace(m[0]), "("), " ")
		if m[1] != "" || keywords[strings.ToLower(name)] || regexp.MustCompile(`^\d`).MatchString(name) {
			continue
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

func TestPromQLMetricNames(t *testing.T) {
	got := promQLMetricNames(`histogram_quantile(0.95, sum by (le, db) (rate(x_bucket{db=~"$db",a="}"}[$__rate_interval]))) / clamp_min(sum(rate(y_total[5m])), 1e-9) and on (db) z`)
	if want := []string{"x_bucket", "y_total", "z"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestGrafanaDashboardUsesExportedMetrics reads deploy/grafana/dbforge.json,
// takes every metric name its PromQL (panel targets and variable queries)
// uses, and checks a real gateway's /metrics exports each one.
func TestGrafanaDashboardUsesExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana/dbforge.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard is not valid JSON: %v", err)
	}
	exprs := map[string]string{} // expression → where
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			exprs[tg.Expr] = "panel " + p.Title
		}
	}
	labelValues := regexp.MustCompile(`^label_values\((.*),\s*\w+\)$`)
	for _, v := range dash.Templating.List {
		if q, ok := v.Query.(map[string]any); ok {
			if m := labelValues.FindStringSubmatch(q["query"].(string)); m != nil {
				exprs[m[1]] = "variable " + v.Name
			}
		}
	}

	f := newFixture(t, Options{})
	f.spawn("d1")
	f.exec("d1", "SELECT 1")
	have := exported(scrapeMetrics(t, f))
	used := 0
	for expr, where := range exprs {
		names := promQLMetricNames(expr)
		if len(names) == 0 {
			t.Errorf("%s: no metric in %q", where, expr)
		}
		for _, n := range names {
			used++
			if !have[n] {
				t.Errorf("%s uses %s, which the gateway does not export", where, n)
			}
		}
	}
	if used < 10 {
		t.Errorf("only %d metric uses found: is the dashboard empty?", used)
	}
}

// parseMetrics parses a whole exposition with the Prometheus project's own
// text parser: any malformed line fails the test.
func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// series finds the series of a family whose labels include all of want.
func series(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("no family %s", name)
	}
next:
	for _, m := range f.Metric {
		for k, v := range want {
			if !slices.ContainsFunc(m.Label, func(l *dto.LabelPair) bool { return l.GetName() == k && l.GetValue() == v }) {
				continue next
			}
		}
		return m
	}
	t.Fatalf("no %s series with %v", name, want)
	return nil
}

// TestMetricsValuesMoveWithRequests parses the whole exposition, then
// checks request counters, the route histogram and the per-database
// figures move by what was sent.
func TestMetricsValuesMoveWithRequests(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("m1")
	f.exec("m1", "CREATE TABLE t(x)")
	const route = "POST /api/db/{db}/query"
	before := parseMetrics(t, scrapeMetrics(t, f))
	q0 := series(t, before, "dbforge_http_requests_total", map[string]string{"route": route, "status": "200"}).GetCounter().GetValue()
	h0 := series(t, before, "dbforge_http_request_duration_seconds", map[string]string{"route": route}).GetHistogram().GetSampleCount()
	d0 := series(t, before, "dbforge_db_queries_total", map[string]string{"db": "m1"}).GetCounter().GetValue()

	for range 3 {
		f.exec("m1", "INSERT INTO t VALUES (1)")
	}
	f.expect(f.do("POST", "/api/db/m1/query", map[string]any{"sql": "SELEC nonsense"}), 400, "")
	after := parseMetrics(t, scrapeMetrics(t, f))
	if v := series(t, after, "dbforge_http_requests_total", map[string]string{"route": route, "status": "200"}).GetCounter().GetValue(); v != q0+3 {
		t.Errorf("200s of %s: %v → %v, want +3", route, q0, v)
	}
	if v := series(t, after, "dbforge_http_requests_total", map[string]string{"route": route, "status": "400"}).GetCounter().GetValue(); v != 1 {
		t.Errorf("400s of %s = %v, want 1", route, v)
	}
	h := series(t, after, "dbforge_http_request_duration_seconds", map[string]string{"route": route}).GetHistogram()
	if h.GetSampleCount() != h0+4 || h.GetSampleSum() <= 0 {
		t.Errorf("route histogram count %d → %d (want +4), sum %v", h0, h.GetSampleCount(), h.GetSampleSum())
	}
	if got := h.Bucket[len(h.Bucket)-2]; got.GetUpperBound() != 30 || got.GetCumulativeCount() > h.GetSampleCount() {
		t.Errorf("last finite bucket %v", got)
	}
	if v := series(t, after, "dbforge_db_queries_total", map[string]string{"db": "m1"}).GetCounter().GetValue(); v != d0+4 {
		t.Errorf("dbforge_db_queries_total{db=m1}: %v → %v, want +4", d0, v)
	}
	if v := series(t, after, "dbforge_db_rows_written_total", map[string]string{"db": "m1"}).GetCounter().GetValue(); v != 3 {
		t.Errorf("rows written = %v, want 3", v)
	}
	if v := series(t, after, "dbforge_db_running", map[string]string{"db": "m1"}).GetGauge().GetValue(); v != 1 {
		t.Errorf("running = %v", v)
	}
	dh := series(t, after, "dbforge_db_query_duration_seconds", map[string]string{"db": "m1"}).GetHistogram()
	if want := uint64(len(engine.QueryHistogramBounds())); uint64(len(dh.Bucket)) != want+1 || dh.GetSampleCount() != uint64(d0+4) {
		t.Errorf("db histogram: %d buckets (want %d), count %d", len(dh.Bucket), want+1, dh.GetSampleCount())
	}
	// every family the Prometheus client served before, that dashboards
	// use, is still there with its type
	for name, typ := range map[string]dto.MetricType{
		"dbforge_audit_entries_written_total": dto.MetricType_COUNTER, "dbforge_audit_entries_dropped_total": dto.MetricType_COUNTER,
		"dbforge_db_errors_total": dto.MetricType_COUNTER, "dbforge_db_rows_read_total": dto.MetricType_COUNTER,
		"dbforge_db_size_bytes": dto.MetricType_GAUGE,
		"go_goroutines":         dto.MetricType_GAUGE, "go_threads": dto.MetricType_GAUGE, "go_info": dto.MetricType_GAUGE,
		"go_gc_duration_seconds": dto.MetricType_SUMMARY, "go_memstats_alloc_bytes": dto.MetricType_GAUGE,
		"go_memstats_heap_inuse_bytes": dto.MetricType_GAUGE, "go_memstats_sys_bytes": dto.MetricType_GAUGE,
		"process_cpu_seconds_total": dto.MetricType_COUNTER, "process_resident_memory_bytes": dto.MetricType_GAUGE,
		"process_virtual_memory_bytes": dto.MetricType_GAUGE, "process_open_fds": dto.MetricType_GAUGE,
		"process_max_fds": dto.MetricType_GAUGE, "process_start_time_seconds": dto.MetricType_GAUGE,
	} {
		if runtime.GOOS != "linux" && strings.HasPrefix(name, "process_") {
			continue
		}
		if fam, ok := after[name]; !ok || fam.GetType() != typ {
			t.Errorf("%s: missing or not a %v", name, typ)
		}
	}
	if st := series(t, after, "process_start_time_seconds", nil).GetGauge().GetValue(); time.Since(time.Unix(int64(st), 0)) > time.Hour || st > float64(time.Now().Unix()+1) {
		t.Errorf("process_start_time_seconds = %v, not this process", st)
	}
}

// TestMetricsEscapeHostileLabels: a route pattern (or database name)
// holding quotes, backslashes and newlines stays one label value and
// injects no series.
func TestMetricsEscapeHostileLabels(t *testing.T) {
	f := newFixture(t, Options{})
	hostile := "GET /x\"} 1\ninjected_total{a=\"b\\"
	f.gw.metrics.route(hostile).observe(200, time.Millisecond) // before any scrape, as New does
	fams := parseMetrics(t, scrapeMetrics(t, f))
	if _, ok := fams["injected_total"]; ok {
		t.Fatal("a label value injected a series")
	}
	if v := series(t, fams, "dbforge_http_requests_total", map[string]string{"route": hostile, "status": "200"}).GetCounter().GetValue(); v != 1 {
		t.Fatalf("hostile route counted %v", v)
	}
	series(t, fams, "dbforge_http_request_duration_seconds", map[string]string{"route": hostile})
}

// TestMetricsGzip: Prometheus asks for gzip; the body must inflate to a
// valid exposition.
func TestMetricsGzip(t *testing.T) {
	f := newFixture(t, Options{})
	req, _ := http.NewRequest("GET", f.srv.URL+"/metrics", nil)
	req.Header.Set("X-API-Key", f.key)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent inflating
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parseMetrics(t, string(text))["go_goroutines"]; !ok {
		t.Fatal("inflated body lacks go_goroutines")
	}
}

// TestRouteObserveAllocatesNothing: the per-request path is atomic adds.
func TestRouteObserveAllocatesNothing(t *testing.T) {
	m := newMetrics(nil)
	rt := m.route("GET /x")
	if n := testing.AllocsPerRun(1000, func() { rt.observe(200, time.Millisecond) }); n != 0 {
		t.Fatalf("observe allocates %v times", n)
	}
	rt.observe(799, time.Millisecond) // outside the array: still counted
	codes, counts := rt.statusCounts()
	if !slices.Equal(codes, []int{200, 799}) || counts[0] != 1001 || counts[1] != 1 {
		t.Fatalf("codes %v counts %v", codes, counts)
	}
}

// TestRouteFirstRequestsRace: the status counters are made by a route's
// first request; concurrent first requests all count on the same array.
func TestRouteFirstRequestsRace(t *testing.T) {
	rt := newMetrics(nil).route("GET /x")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				rt.observe(200, time.Microsecond)
			}
		})
	}
	wg.Wait()
	if codes, counts := rt.statusCounts(); len(codes) != 1 || counts[0] != 8000 || rt.count.Load() != 8000 {
		t.Fatalf("codes %v counts %v total %d", codes, counts, rt.count.Load())
	}
}

// TestMetricsScrapeOf10000Databases: a data directory of 10,000 databases
// scrapes with every one named, and the scrape allocates a bounded amount
// a database (~2.5 KiB today, nearly all of it the engine's List, Stats
// and QueryHistogram): the ~11 MB text streams out and is never held
// whole (internal/metrics TestWriteTextStreams).
func TestMetricsScrapeOf10000Databases(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 catalog entries")
	}
	dir := t.TempDir()
	eng, err := engine.Open(engine.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	eng.Close()
	// the catalog entries, as spawn writes them (their files are made on
	// first use, which a scrape is not)
	cat, err := sql.Open("sqlite", filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 10000
	if _, err := cat.Exec(fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < %d)
		INSERT INTO instances SELECT 'd'||i, 'id'||i, 'sqlite', 'running', 0, 0, 0 FROM c`, n)); err != nil {
		t.Fatal(err)
	}
	cat.Close()
	eng, err = engine.Open(engine.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	// as dbforge serve does at start: the catalog's reading is not the scrape's
	if err := eng.LoadAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	gw := New(eng, Options{})
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)

	req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cw := &countingWriter{}
	_, err = io.Copy(cw, resp.Body)
	resp.Body.Close()
	runtime.ReadMemStats(&ms1)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("scrape: %d %v", resp.StatusCode, err)
	}
	if cw.lines < n*19 {
		t.Fatalf("%d lines for %d databases", cw.lines, n)
	}
	alloc := ms1.TotalAlloc - ms0.TotalAlloc
	t.Logf("%d databases: %d bytes of text, %d lines, %d bytes allocated by the scrape", n, cw.bytes, cw.lines, alloc)
	if alloc > n*4096 {
		t.Errorf("the scrape allocated %d bytes for %d databases, over 4 KiB each", alloc, n)
	}
}

// countingWriter counts what the scrape sent without keeping it.
type countingWriter struct{ bytes, lines int }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.bytes += len(p)
	c.lines += bytes.Count(p, []byte("\n"))
	return len(p), nil
}
