package engine

import (
	"context"
	"testing"
	"time"
)

func TestAuditWriteQueryRetention(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir, AuditMaxRows: 5})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := range 3 {
		e.Audit(AuditEntry{KeyID: "key_1", KeyName: "ci", RemoteAddr: "127.0.0.1", Route: "POST /api/db/{db}/query",
			Database: "a", Kind: KindWrite, Rows: int64(i), Status: 200, DurationMs: 1.5})
	}
	e.Audit(AuditEntry{KeyID: "admin", KeyName: "admin", Route: "GET /admin/databases", Kind: KindAdmin, Status: 200})
	// Close drains the queue into the catalog
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = Open(Config{DataDir: dir, AuditMaxRows: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	all, err := e.AuditLog(ctx, AuditFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("all: %d %v", len(all), err)
	}
	if all[0].Route != "GET /admin/databases" || all[1].Rows != 2 || all[1].DurationMs != 1.5 || all[1].Time.Before(start.Add(-time.Second)) {
		t.Fatalf("newest first, fields kept: %+v", all[:2])
	}
	if got, _ := e.AuditLog(ctx, AuditFilter{Database: "a"}); len(got) != 3 {
		t.Fatalf("by db: %d", len(got))
	}
	if got, _ := e.AuditLog(ctx, AuditFilter{Key: "ci", Limit: 2}); len(got) != 2 {
		t.Fatalf("by key name with limit: %d", len(got))
	}
	if got, _ := e.AuditLog(ctx, AuditFilter{Since: time.Now().Add(time.Hour)}); len(got) != 0 {
		t.Fatalf("since the future: %d", len(got))
	}
	// retention by rows
	for range 10 {
		e.Audit(AuditEntry{Route: "GET /x", Status: 200})
	}
	waitFor(t, func() bool { w, _ := e.AuditStats(); return w == 10 })
	if err := e.sec.audit.prune(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.AuditLog(ctx, AuditFilter{}); len(got) != 5 {
		t.Fatalf("retention kept %d rows, want 5", len(got))
	}
}

func TestAuditNeverBlocksAndCountsDrops(t *testing.T) {
	e := openTest(t, func(c *Config) { c.AuditQueue = 1 })
	// hold the catalog's one connection so the writer cannot drain
	conn, err := e.catalog.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for range 1000 {
			e.Audit(AuditEntry{Route: "GET /x"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Audit blocked")
	}
	conn.Close()
	if _, dropped := e.AuditStats(); dropped == 0 {
		t.Fatal("no drop counted with a full queue")
	}
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met in time")
}

// BenchmarkAuditWrite measures the audit writer: entries queued and
// written to the catalog, per entry.
//
//	go test ./internal/engine -run '^$' -bench AuditWrite
func BenchmarkAuditWrite(b *testing.B) {
	e, err := Open(Config{DataDir: b.TempDir(), AuditQueue: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	en := AuditEntry{KeyID: "key_0123456789ab", KeyName: "bench", RemoteAddr: "127.0.0.1", Route: "POST /api/db/{db}/query",
		Database: "bench", Kind: KindRead, Rows: 1, Status: 200, DurationMs: 0.25}
	b.ResetTimer()
	for range b.N {
		e.Audit(en)
	}
	for {
		w, d := e.AuditStats()
		if w+d >= int64(b.N) {
			if d > 0 {
				b.Fatalf("%d dropped", d)
			}
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// TestAuditFilterDatabases: a filter by a list of databases (a scoped
// admin's view) keeps their entries only, none without a database.
func TestAuditFilterDatabases(t *testing.T) {
	e := openTest(t, nil)
	for _, db := range []string{"shop", "shop_eu", "other", ""} {
		e.Audit(AuditEntry{Route: "POST /api/db/{db}/query", Database: db, Status: 200})
	}
	waitFor(t, func() bool { w, _ := e.AuditStats(); return w == 4 })
	got, err := e.AuditLog(context.Background(), AuditFilter{Databases: []string{"shop", "shop_eu"}})
	if err != nil || len(got) != 2 {
		t.Fatalf("filtered: %+v %v", got, err)
	}
	for _, en := range got {
		if en.Database != "shop" && en.Database != "shop_eu" {
			t.Fatalf("entry of %q in a view of shop, shop_eu", en.Database)
		}
	}
	if got, _ := e.AuditLog(context.Background(), AuditFilter{Databases: []string{"shop"}, Database: "other"}); len(got) != 0 {
		t.Fatalf("db outside the list: %+v", got)
	}
}
