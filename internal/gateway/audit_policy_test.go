package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

// auditedRoutes runs what a user does (spawn, two statements, a details
// view) around what a TUI polls (health, list, stats, the audit log) and
// returns how often each route was audited.
func auditedRoutes(t *testing.T, opts Options) map[string]int {
	t.Helper()
	f := newFixture(t, opts)
	f.spawn("shop")
	f.expect(f.exec("shop", "CREATE TABLE t(x)"), 200, "")
	for _, path := range []string{"/health", "/admin/databases", "/admin/databases/shop/stats",
		"/admin/gateway/stats", "/admin/audit", "/admin/databases/shop"} {
		f.expect(f.do("GET", path, nil), 200, "")
	}
	f.expect(f.exec("shop", "SELECT 1"), 200, "")

	// the writer is asynchronous and in order: once the last statement is
	// in, everything before it is too
	const query = "POST /api/db/{db}/query"
	deadline := time.Now().Add(5 * time.Second)
	for {
		entries, err := f.eng.AuditLog(context.Background(), engine.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, en := range entries {
			seen[en.Route]++
		}
		if seen[query] == 2 {
			return seen
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audit log never had both statements: %v", seen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pollingRoutes are the views auditedRoutes polls.
func pollingRoutes() []string {
	return []string{"GET /admin/databases", "GET /admin/databases/{db}/stats",
		"GET /admin/gateway/stats", "GET /admin/audit"}
}

// userRoutes are what auditedRoutes does as the user: audited under
// either policy.
func userRoutes() []string {
	return []string{"POST /admin/databases/spawn/{db}", "POST /api/db/{db}/query", "GET /admin/databases/{db}"}
}

// `serve`'s policy (the zero Options): every admin and data call is
// audited, the polled views included.
func TestAuditRecordsPollingViewsByDefault(t *testing.T) {
	seen := auditedRoutes(t, Options{})
	for _, r := range append(pollingRoutes(), userRoutes()...) {
		if seen[r] == 0 {
			t.Errorf("%s not audited: %v", r, seen)
		}
	}
}

// Embedded mode's policy: the polled views stay out of the log, what the
// user did stays in.
func TestSkipPollingAuditKeepsWhatTheUserDid(t *testing.T) {
	seen := auditedRoutes(t, Options{SkipPollingAudit: true})
	for _, r := range pollingRoutes() {
		if seen[r] != 0 {
			t.Errorf("%s audited %d times under SkipPollingAudit", r, seen[r])
		}
	}
	for _, r := range userRoutes() {
		if seen[r] == 0 {
			t.Errorf("%s not audited under SkipPollingAudit: %v", r, seen)
		}
	}
	if seen["GET /health"] != 0 {
		t.Errorf("GET /health audited: %v", seen)
	}
}
