package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// TestAuditFloodOfBadKeys: 20,000 requests with wrong or missing keys add
// a bounded number of audit rows (folded per source, route and second,
// with a count that adds up to every call), drop nothing else, and
// retention afterwards keeps the admin actions made before the flood.
func TestAuditFloodOfBadKeys(t *testing.T) {
	const flood = 20000
	dir := t.TempDir()
	cfg := engine.Config{DataDir: dir, AuditMaxRows: 5}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(eng, Options{AdminKeyHash: auth.Hash(testKey)}))
	f := &fixture{t: t, eng: eng, srv: srv, key: testKey}
	f.spawn("shop")
	_, id := f.createKey("reporting", "readonly", "shop")
	f.expect(f.do("DELETE", "/admin/keys/"+id, nil), 200, "")

	start := time.Now()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var sent, unexpected atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for sent.Add(1) <= flood {
				req, _ := http.NewRequest("GET", srv.URL+"/admin/keys", nil)
				if w%2 == 0 {
					req, _ = http.NewRequest("POST", srv.URL+"/api/db/shop/query", strings.NewReader(`{"sql":"SELECT 1"}`))
				}
				if w%4 != 3 {
					req.Header.Set("X-API-Key", "dbf_guess-"+time.Now().String())
				}
				resp, err := hc.Do(req)
				if err != nil || resp.StatusCode != 401 {
					unexpected.Add(1)
				}
				if err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("%d bad-key requests in %v", flood, elapsed)
	if n := unexpected.Load(); n != 0 {
		t.Fatalf("%d flood requests were not answered 401", n)
	}
	if _, dropped := eng.AuditStats(); dropped != 0 {
		t.Fatalf("%d audit entries dropped during the flood", dropped)
	}
	srv.Close()
	if err := eng.Close(); err != nil { // writes what was gathered
		t.Fatal(err)
	}

	// the flood's rows: bounded, and their counts add up to every call
	eng, err = engine.Open(engine.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all, err := eng.AuditLog(context.Background(), engine.AuditFilter{Limit: 10000})
	eng.Close()
	if err != nil {
		t.Fatal(err)
	}
	var rows, calls int64
	for _, en := range all {
		if en.Status == 401 {
			rows++
			calls += en.Count
		}
	}
	// two routes, two reasons (wrong and missing key), one source: four
	// entries per second at most, plus the windows cut at either end
	bound := int64(4 * (int(elapsed.Seconds()) + 2))
	t.Logf("the flood added %d audit rows for %d calls", rows, calls)
	if calls != flood || rows > bound {
		t.Fatalf("the flood added %d rows for %d calls (want %d calls in at most %d rows)", rows, calls, flood, bound)
	}

	// retention (5 rows) keeps the admin actions made before the flood
	eng, err = engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var kept []engine.AuditEntry
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if kept, err = eng.AuditLog(context.Background(), engine.AuditFilter{Limit: 100}); err == nil && len(kept) <= 5 {
			break
		}
	}
	routes := map[string]bool{}
	for _, en := range kept {
		routes[en.Route] = true
	}
	for _, want := range []string{"POST /admin/databases/spawn/{db}", "POST /admin/keys", "DELETE /admin/keys/{id}"} {
		if !routes[want] {
			t.Errorf("retention dropped the admin action %s; kept %+v", want, kept)
		}
	}
	if len(kept) != 5 {
		t.Fatalf("retention kept %d rows, want 5", len(kept))
	}
}
