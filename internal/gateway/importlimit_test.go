package gateway

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

// csvOf returns a CSV body of at least n bytes.
func csvOf(n int) string {
	var b strings.Builder
	b.WriteString("id,v\n")
	for i := 1; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%d,row %d\n", i, i)
	}
	return b.String()
}

// TestImportLimitIsNotTheBodyLimit: a streamed CSV import is bounded by
// MaxImportBytes, not by the JSON body limit (a 195 MiB CSV used to get
// 413 under a 32 MiB --max-body); a SQL script, read whole, still is.
func TestImportLimitIsNotTheBodyLimit(t *testing.T) {
	f := newFixture(t, Options{MaxBodyBytes: 4 << 10, MaxImportBytes: 256 << 10})
	f.spawn("d")
	body := csvOf(200 << 10) // 50 × the body limit
	r := f.do("POST", "/api/db/d/import/csv?table=t", body)
	f.expect(r, 200, "")
	rows := strings.Count(body, "\n") - 1
	if got := f.exec("d", "SELECT count(*) AS n FROM t"); !strings.Contains(string(got.raw), fmt.Sprintf(`"n":%d`, rows)) {
		t.Fatalf("imported rows: %s, want %d", got.raw, rows)
	}

	// past the import limit: 413 naming it, nothing imported
	r = f.do("POST", "/api/db/d/import/csv?table=u", csvOf(300<<10))
	f.expect(r, 413, "Request body too large. The limit is 262144 bytes.")
	if got := f.do("POST", "/api/db/d/query", map[string]any{"sql": "SELECT count(*) FROM u"}); got.status != 400 {
		t.Fatalf("a refused import left a table: %s", got.raw)
	}

	// JSON bodies and SQL scripts keep the body limit
	f.expect(f.do("POST", "/api/db/d/import/sql", strings.Repeat("SELECT 1;\n", 1000)), 413, "Request body too large. The limit is 4096 bytes.")
	f.expect(f.do("POST", "/api/db/d/query", map[string]any{"sql": "SELECT '" + strings.Repeat("x", 5000) + "'"}), 413, "")
}

// TestImportUnlimitedKeepsQuota: with no import limit the size quota still
// bounds what an import may write.
func TestImportUnlimitedKeepsQuota(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxDBSizeBytes: 64 << 10}, Options{MaxBodyBytes: 4 << 10, MaxImportBytes: -1})
	f.spawn("q")
	f.exec("q", "CREATE TABLE t(id INTEGER, v TEXT)")
	r := f.do("POST", "/api/db/q/import/csv?table=t&create=false", csvOf(1<<20))
	f.expect(r, 409, "")
	if r.code() != "QUOTA_EXCEEDED" {
		t.Fatalf("quota: %s", r.raw)
	}
}
