package gateway

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
)

const testMetricsToken = "prometheus-scrape-token-0123"

// TestMetricsNotPublic: /metrics names every database, so an anonymous or
// tenant scrape is refused; the metrics token and unscoped admin keys get
// the series.
func TestMetricsNotPublic(t *testing.T) {
	f := newFixture(t, Options{MetricsTokenHash: auth.Hash(testMetricsToken)})
	f.spawn("tenant_a")
	f.exec("tenant_a", "SELECT 1")
	ro, _ := f.createKey("reader", "readonly")
	rw, _ := f.createKey("writer", "readwrite", "tenant_a")
	scopedAdmin, _ := f.createKey("tenant-admin", "admin", "tenant_a")
	otherAdmin, _ := f.createKey("ops", "admin")

	refused := []struct {
		name    string
		headers map[string]string
		status  int
		detail  string
	}{
		{"anonymous", nil, 401, msgMissingKey},
		{"empty key", map[string]string{"Authorization": "Bearer "}, 401, ""},
		{"wrong token", map[string]string{"Authorization": "Bearer " + testMetricsToken + "x"}, 401, msgInvalidKey},
		{"readonly key", map[string]string{"Authorization": "Bearer " + ro}, 403, msgMetricsForbidden},
		{"readwrite key", map[string]string{"X-API-Key": rw}, 403, msgMetricsForbidden},
		{"scoped admin key", map[string]string{"X-API-Key": scopedAdmin}, 403, msgMetricsForbidden},
	}
	for _, c := range refused {
		r := f.doWith("GET", "/metrics", nil, c.headers)
		f.expect(r, c.status, c.detail)
		if strings.Contains(string(r.raw), "tenant_a") || strings.Contains(string(r.raw), "dbforge_") {
			t.Errorf("%s: the refusal shows metrics: %s", c.name, r.raw)
		}
	}
	for name, headers := range map[string]map[string]string{
		"metrics token":       {"Authorization": "Bearer " + testMetricsToken},
		"bootstrap admin key": {"X-API-Key": testKey},
		"unscoped admin key":  {"Authorization": "Bearer " + otherAdmin},
	} {
		r := f.doWith("GET", "/metrics", nil, headers)
		if r.status != 200 || !strings.Contains(string(r.raw), `dbforge_db_queries_total{db="tenant_a"}`) {
			t.Errorf("%s: %d %.200s", name, r.status, r.raw)
		}
	}
	// the metrics token is no API key
	f.expect(f.doWith("GET", "/admin/databases", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken}), 401, msgInvalidKey)
	f.expect(f.doWith("POST", "/api/db/tenant_a/query", map[string]any{"sql": "SELECT 1"}, map[string]string{"X-API-Key": testMetricsToken}), 401, msgInvalidKey)
}

// TestMetricsWithoutToken: with no metrics token configured, only admin
// keys scrape; in open mode (no keys at all) the route stays open.
func TestMetricsWithoutToken(t *testing.T) {
	f := newFixture(t, Options{})
	f.expect(f.doWith("GET", "/metrics", nil, nil), 401, msgMissingKey)
	f.expect(f.doWith("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken}), 401, msgInvalidKey)
	if r := f.do("GET", "/metrics", nil); r.status != 200 {
		t.Fatalf("admin scrape: %d %s", r.status, r.raw)
	}
	f.gw = New(f.eng, Options{}) // open mode
	f.srv.Config.Handler = f.gw
	if r := f.doWith("GET", "/metrics", nil, nil); r.status != 200 {
		t.Fatalf("open mode scrape: %d %s", r.status, r.raw)
	}
}
