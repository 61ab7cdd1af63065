package gateway

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// TestResultBudgetOverHTTP: a readonly key cannot make the gateway build a
// huge answer: huge values fail with 422 RESULT_TOO_LARGE, many big rows
// are cut with has_more, and the answer stays near the budget.
func TestResultBudgetOverHTTP(t *testing.T) {
	const budget = 4 << 20
	f := newFixtureConfig(t, engine.Config{MaxResultBytes: budget, MaxRows: 100000}, Options{})
	f.spawn("shop")
	ro, _ := f.createKey("reader", "readonly", "shop")
	for _, s := range []string{
		"SELECT zeroblob(999000000)",
		"SELECT randomblob(1e9)",
		"SELECT printf('%.*c', 900000000, 'x')",
		"SELECT zeroblob(3000000), zeroblob(3000000)",
		"WITH z(b) AS (SELECT zeroblob(4000000)) SELECT b" + strings.Repeat(", b", 49) + " FROM z",
	} {
		r := f.as(ro, "POST", "/api/db/shop/query", map[string]any{"sql": s})
		f.expect(r, 422, "")
		if r.code() != client.CodeResultTooLarge {
			t.Fatalf("%q: %s", s, r.raw)
		}
	}
	r := f.as(ro, "POST", "/api/db/shop/query", map[string]any{
		"sql":   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100000) SELECT x, zeroblob(1000000) AS b FROM c",
		"limit": 100000,
	})
	f.expect(r, 200, "")
	data, _ := r.body["data"].([]any)
	if r.body["has_more"] != true || len(data) == 0 || len(r.raw) > budget+budget/4 {
		t.Fatalf("many 1 MB rows: %d rows, has_more %v, %d bytes", len(data), r.body["has_more"], len(r.raw))
	}
	// the server still answers others
	f.exec("shop", "SELECT 1")
}
