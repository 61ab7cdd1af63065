package engine

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
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

// TestAuditRetentionKeepsAdminActions: past the row limit the oldest
// ordinary entries go first; admin actions only when they alone exceed it.
func TestAuditRetentionKeepsAdminActions(t *testing.T) {
	ctx := context.Background()
	e := openTest(t, func(c *Config) { c.AuditMaxRows = 100 })
	action := func(i int) AuditEntry {
		return AuditEntry{KeyID: "admin", Route: "POST /admin/keys", Kind: KindAdmin, Status: 201, Rows: int64(i)}
	}
	for i := range 10 {
		e.Audit(action(i))
	}
	waitFor(t, func() bool { w, _ := e.AuditStats(); return w == 10 })
	// then a flood of ordinary entries, including refused admin calls and
	// admin reads, which anyone with a key can make
	for i := range 3000 {
		switch i % 3 {
		case 0:
			e.Audit(AuditEntry{KeyID: "key_1", Route: "POST /api/db/{db}/query", Database: "a", Kind: KindRead, Status: 200})
		case 1:
			e.Audit(AuditEntry{KeyID: "key_1", Route: "POST /admin/keys", Kind: KindAdmin, Status: 403})
		default:
			e.Audit(AuditEntry{KeyID: "key_1", Route: "GET /admin/databases", Kind: KindAdmin, Status: 200})
		}
		if i%1000 == 999 {
			waitFor(t, func() bool { w, _ := e.AuditStats(); return w == int64(11+i) })
		}
	}
	if err := e.sec.audit.prune(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := e.AuditLog(ctx, AuditFilter{Limit: 1000})
	if err != nil || len(all) != 100 {
		t.Fatalf("kept %d entries (%v), want 100", len(all), err)
	}
	var actions int
	for _, en := range all {
		if en.Route == "POST /admin/keys" && en.Status == 201 {
			actions++
		}
	}
	if actions != 10 {
		t.Fatalf("retention kept %d of 10 admin actions", actions)
	}
	// admin actions alone past the limit: the oldest of them go
	for i := range 150 {
		e.Audit(action(100 + i))
	}
	waitFor(t, func() bool { w, _ := e.AuditStats(); return w == 3160 })
	if err := e.sec.audit.prune(ctx); err != nil {
		t.Fatal(err)
	}
	all, _ = e.AuditLog(ctx, AuditFilter{Limit: 1000})
	if len(all) != 100 || all[0].Rows != 249 || all[99].Rows != 150 {
		t.Fatalf("kept %d, newest %d, oldest %d; want the 100 newest actions", len(all), all[0].Rows, all[len(all)-1].Rows)
	}
}

// TestAuditFoldsUnauthenticated: calls without a valid key become one
// entry per source, route, database and status per window, with a count;
// past auditMaxFolds distinct ones the rest share one entry.
func TestAuditFoldsUnauthenticated(t *testing.T) {
	var f folds
	for range 5000 {
		f.add(AuditEntry{RemoteAddr: "10.0.0.1", Route: "GET /admin/keys", Kind: KindAdmin, Status: 401})
	}
	for i := range 2 * auditMaxFolds {
		f.add(AuditEntry{RemoteAddr: fmt.Sprintf("10.1.%d.%d", i/256, i%256), Route: "POST /api/db/{db}/query", Database: "a", Status: 401})
	}
	all := f.take(nil)
	var calls int64
	var overflow *AuditEntry
	for i, en := range all {
		calls += en.Count
		if en.RemoteAddr == "*" {
			overflow = &all[i]
		}
	}
	// one entry for the 5000, auditMaxFolds-1 single sources, one overflow
	if len(all) != auditMaxFolds+1 || calls != 5000+2*auditMaxFolds {
		t.Fatalf("%d entries for %d calls", len(all), calls)
	}
	if overflow == nil || overflow.Count != auditMaxFolds+1 || overflow.Route != "*" || overflow.Database != "" || overflow.Status != 401 {
		t.Fatalf("overflow entry %+v", overflow)
	}
	if next := f.take(nil); len(next) != 0 {
		t.Fatalf("a new window starts empty: %+v", next)
	}

	// through the engine: written by the writer (at the latest on Close)
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for range 300 {
		e.AuditUnauthenticated(AuditEntry{RemoteAddr: "10.0.0.2", Route: "GET /admin/audit", Kind: KindAdmin, Status: 401})
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	got, err := e.AuditLog(context.Background(), AuditFilter{})
	calls = 0
	for _, en := range got {
		calls += en.Count
	}
	// a window may end during the loop: two entries at most
	if err != nil || len(got) == 0 || len(got) > 2 || calls != 300 {
		t.Fatalf("%d entries for %d calls: %v", len(got), calls, err)
	}
}

// TestAuditCatalogBeforeCount: a catalog written before entries had a
// count opens, and its entries count one call each.
func TestAuditCatalogBeforeCount(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	e.Audit(AuditEntry{Route: "GET /x", Status: 200})
	e.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ALTER TABLE audit DROP COLUMN count`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	e, err = Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	all, err := e.AuditLog(context.Background(), AuditFilter{})
	if err != nil || len(all) != 1 || all[0].Count != 1 {
		t.Fatalf("old entries: %+v %v", all, err)
	}
}

// TestAuditBatchesOfEverySize: a batch is written through the 64-, 16-,
// 4- and 1-row INSERTs; whatever its size every entry lands once, in
// order, with its fields.
func TestAuditBatchesOfEverySize(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	a := e.sec.audit
	base := time.Now() // recent: retention must not take them
	total := 0
	for _, n := range []int{1, 3, 4, 5, 16, 21, 63, 64, 65, 87, 150} {
		batch := make([]AuditEntry, n)
		for i := range batch {
			j := total + i
			batch[i] = AuditEntry{Time: base.Add(time.Duration(j + 1)), KeyID: "k", KeyName: "name" + strconv.Itoa(j/3), RemoteAddr: "10.0.0.1",
				Route: "POST /api/db/{db}/query", Database: "d" + strconv.Itoa(j%2), Kind: KindRead, Rows: int64(j), Status: 200, DurationMs: 0.25}
		}
		if err := a.insert(ctx, batch); err != nil {
			t.Fatalf("batch of %d: %v", n, err)
		}
		total += n
	}
	got, err := e.AuditLog(ctx, AuditFilter{Limit: maxAuditList})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total {
		t.Fatalf("%d entries, want %d", len(got), total)
	}
	for i, en := range got { // newest first
		want := int64(total - 1 - i)
		if en.Rows != want || en.Time.UnixNano() != base.Add(time.Duration(want+1)).UnixNano() || en.DurationMs != 0.25 || en.Count != 1 ||
			en.KeyName != "name"+strconv.Itoa(int(want)/3) || en.Database != "d"+strconv.Itoa(int(want)%2) || en.KeyID != "k" {
			t.Fatalf("entry %d: %+v, want rows %d", i, en, want)
		}
	}
}
