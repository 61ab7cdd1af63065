package gateway

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
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
