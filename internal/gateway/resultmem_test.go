package gateway

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// TestLargeResultsShareTheServerMemory: with the one large-result slot
// taken, a readonly key's large query waits, then answers 503 SERVER_BUSY
// with Retry-After, while small queries answer at once; the gateway gives
// its own slot back once the answer is written.
func TestLargeResultsShareTheServerMemory(t *testing.T) {
	cfg := engine.Config{MaxResultBytes: 4 << 20, MaxResultMemory: 4 << 20, QueryTimeout: 400 * time.Millisecond}
	f := newFixtureConfig(t, cfg, Options{})
	f.spawn("shop")
	ro, _ := f.createKey("reader", "readonly", "shop")
	large := map[string]any{"sql": "SELECT zeroblob(2000000) AS b"}

	held, err := f.eng.Exec(context.Background(), "shop", engine.Query{SQL: "SELECT zeroblob(2000000)", ReadOnly: true, HoldMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	r := f.as(ro, "POST", "/api/db/shop/query", large)
	f.expect(r, 503, "")
	if r.code() != client.CodeServerBusy || r.header.Get("Retry-After") == "" || !strings.Contains(r.str("detail"), "max_result_memory") {
		t.Fatalf("large query with no free slot: %d %s (Retry-After %q)", r.status, r.raw, r.header.Get("Retry-After"))
	}
	for _, q := range []string{"SELECT 1 AS one", "SELECT zeroblob(100000) AS b"} {
		start := time.Now()
		r = f.as(ro, "POST", "/api/db/shop/query", map[string]any{"sql": q})
		f.expect(r, 200, "")
		if d := time.Since(start); d > time.Second {
			t.Fatalf("small query %q took %v beside a large result", q, d)
		}
	}
	held.Release()

	// each answer gives its slot back: one slot serves them one after another
	for i := 0; i < 3; i++ {
		r = f.as(ro, "POST", "/api/db/shop/query", large)
		f.expect(r, 200, "")
		if data := r.body["data"].([]any); len(data) != 1 {
			t.Fatalf("large query: %s", r.raw[:200])
		}
	}
	f.exec("shop", "CREATE TABLE big (b BLOB)")
	f.exec("shop", "INSERT INTO big VALUES (zeroblob(2000000))")
	for i := 0; i < 3; i++ {
		r = f.as(ro, "GET", "/api/db/shop/tables/big/rows", nil)
		f.expect(r, 200, "")
	}
	again, err := f.eng.Exec(context.Background(), "shop", engine.Query{SQL: "SELECT zeroblob(2000000)", ReadOnly: true, HoldMemory: true})
	if err != nil {
		t.Fatalf("the slot was not given back after the answers: %v", err)
	}
	again.Release()
}
