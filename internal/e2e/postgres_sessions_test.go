package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/pgtest"
	"github.com/dbforge/dbforge/internal/testserve"
)

// With every session the gateway may hold on PostgreSQL in use
// (--postgres-sessions 1, held by a slow call on one database), another
// database's call is answered 503 SERVER_BUSY with Retry-After, as an MK1
// client retries, and served once the slow call ends.
func TestPostgresSessionsBusyOverHTTP(t *testing.T) {
	cluster := pgtest.Start(t)
	bin := testserve.BuildBinary(t, t.TempDir())
	const key = "dbf_e2e-sessions-key-0123456789abcdef"
	s := startServer(t, bin, t.TempDir(), "--api-key", key, "--postgres", cluster.AdminDSN(), "--postgres-sessions", "1")
	if !strings.Contains(s.stderr.String(), "max_sessions=1") {
		t.Errorf("serve does not log its session budget:\n%s", s.stderr)
	}
	for _, db := range []string{"hold", "other"} {
		remote(t, bin, s.url, key, false, "db", "spawn", db, "--backend", "postgres")
	}
	query := func(db, sql string) (*http.Response, string) {
		return curlResponse(t, "POST", s.url+"/api/db/"+db+"/query", key, `{"sql":"`+sql+`"}`)
	}
	// the session of an earlier call is idle, not in use: it is closed
	// for the next database's call
	if resp, raw := query("hold", "SELECT 1"); resp.StatusCode != 200 {
		t.Fatalf("hold: %d %s", resp.StatusCode, raw)
	}
	if resp, raw := query("other", "SELECT 1"); resp.StatusCode != 200 {
		t.Fatalf("other with hold's session idle: %d %s", resp.StatusCode, raw)
	}
	held := make(chan int, 1)
	go func() {
		resp, _ := query("hold", "SELECT pg_sleep(2)")
		held <- resp.StatusCode
	}()
	time.Sleep(500 * time.Millisecond)
	resp, raw := query("other", "SELECT 1")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(raw, `"code":"SERVER_BUSY"`) ||
		!strings.Contains(raw, "session") || strings.Contains(raw, "dbforge_") {
		t.Fatalf("other while hold's call has the only session: %d Retry-After=%q %s", resp.StatusCode, resp.Header.Get("Retry-After"), raw)
	}
	if got := <-held; got != 200 {
		t.Fatalf("the holding call: %d", got)
	}
	if resp, raw := query("other", "SELECT 1"); resp.StatusCode != 200 {
		t.Fatalf("other after the holding call ended: %d %s", resp.StatusCode, raw)
	}
}
