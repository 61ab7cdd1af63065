package gateway

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

func listNames(r response) []string {
	out := []string{}
	for _, e := range r.list {
		out = append(out, fmt.Sprint(e.(map[string]any)["name"]))
	}
	return out
}

// TestDatabaseListPaging: ?prefix= and ?limit=&offset= filter and page the
// list by name with X-Total-Count; without them the answer is MK1's list
// with no extra header; bad paging is 422; a scoped key's page and total
// count only the databases it may see.
func TestDatabaseListPaging(t *testing.T) {
	f := newFixture(t, Options{})
	for i := range 20 {
		f.spawn(fmt.Sprintf("app-%02d", i))
	}
	for i := range 5 {
		f.spawn(fmt.Sprintf("zz-%d", i))
	}
	f.expect(f.do("POST", "/admin/databases/prune/app-03", nil), 200, "")

	r := f.do("GET", "/admin/databases", nil)
	if r.status != 200 || len(r.list) != 24 || r.header.Get("X-Total-Count") != "" {
		t.Fatalf("MK1 list: %d, %d entries, X-Total-Count %q", r.status, len(r.list), r.header.Get("X-Total-Count"))
	}
	for _, k := range []string{"name", "container_id", "status"} {
		if _, ok := r.list[0].(map[string]any)[k]; !ok {
			t.Fatalf("MK1 list entry without %q: %s", k, r.raw)
		}
	}

	page := func(query string, total string, want ...string) {
		t.Helper()
		r := f.do("GET", "/admin/databases?"+query, nil)
		if r.status != 200 || r.list == nil {
			t.Fatalf("?%s: %d %s", query, r.status, r.raw)
		}
		if got := strings.Join(listNames(r), ","); got != strings.Join(want, ",") {
			t.Fatalf("?%s: %s, want %s", query, got, strings.Join(want, ","))
		}
		if got := r.header.Get("X-Total-Count"); got != total {
			t.Fatalf("?%s: X-Total-Count %q, want %q", query, got, total)
		}
	}
	page("prefix=zz-", "5", "zz-0", "zz-1", "zz-2", "zz-3", "zz-4")
	page("prefix=app-&limit=5&offset=2", "19", "app-02", "app-04", "app-05", "app-06", "app-07")
	page("limit=2", "24", "app-00", "app-01")
	page("offset=23", "24", "zz-4")
	page("prefix=app-&offset=100", "19")
	page("prefix=nothing", "0")
	page("status=stopped&prefix=app-", "1", "app-03")
	page("status=all&prefix=app-0&limit=4", "10", "app-00", "app-01", "app-02", "app-03")

	for _, bad := range []string{"limit=0", "limit=10001", "limit=x", "offset=-1", "offset=1.5", "limit="} {
		r := f.do("GET", "/admin/databases?"+bad, nil)
		if bad == "limit=" { // empty means absent, as for the other parameters
			if r.status != 200 {
				t.Fatalf("?%s: %d %s", bad, r.status, r.raw)
			}
			continue
		}
		f.expect(r, 422, "")
	}

	key, _ := f.createKey("tenant", "admin", "app-01", "zz-1")
	r = f.as(key, "GET", "/admin/databases?limit=1", nil)
	if got := strings.Join(listNames(r), ","); r.status != 200 || got != "app-01" || r.header.Get("X-Total-Count") != "2" {
		t.Fatalf("scoped key: %d %s, X-Total-Count %q", r.status, got, r.header.Get("X-Total-Count"))
	}
}

// TestOpenBoundBusyIs503: with one database open at most and that one
// held by a running statement, a call to another database answers 503
// SERVER_BUSY with Retry-After (nothing ran), never a 400; once the
// statement ends the same call succeeds.
func TestOpenBoundBusyIs503(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxOpen: 1, QueryTimeout: 2 * time.Second}, Options{})
	f.spawn("a")
	f.spawn("b")
	f.exec("b", "CREATE TABLE t(v)")

	done := make(chan response, 1)
	go func() {
		// runs until the query timeout interrupts it
		done <- f.do("POST", "/api/db/a/query", map[string]any{"sql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"})
	}()
	time.Sleep(300 * time.Millisecond)
	r := f.do("POST", "/api/db/b/query", map[string]any{"sql": "INSERT INTO t VALUES (1)"})
	f.expect(r, 503, "")
	if r.code() != "SERVER_BUSY" || r.header.Get("Retry-After") != "1" || !strings.Contains(r.str("detail"), "too many databases") {
		t.Fatalf("busy answer: %s, Retry-After %q", r.raw, r.header.Get("Retry-After"))
	}
	if slow := <-done; slow.status != 408 {
		t.Fatalf("the held statement: %d %s", slow.status, slow.raw)
	}
	f.exec("b", "INSERT INTO t VALUES (1)")
	if r := f.exec("b", "SELECT count(*) AS n FROM t"); fmt.Sprint(r.body["data"]) != "[map[n:1]]" {
		t.Fatalf("the refused insert ran: %s", r.raw)
	}
}
