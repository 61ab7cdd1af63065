package e2e

// Attacks on tenant isolation through the real binary over real sockets:
// what a holder of a scoped or lesser key tries against other tenants.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

const attackAdminKey = "dbf_attack-admin-key-0123456789abcdef"

// newKey creates a key with the server's admin key and returns the secret.
func (s *server) newKey(name, role string, dbs ...string) string {
	s.t.Helper()
	body := map[string]any{"name": name, "role": role}
	if len(dbs) > 0 {
		body["databases"] = dbs
	}
	r := s.want(201, "POST", "/admin/keys", body)
	k, _ := r.obj["key"].(string)
	if k == "" {
		s.t.Fatalf("no key in %s", r.raw)
	}
	return k
}

// rawCall sends a request with any body and returns status and body bytes.
func (s *server) rawCall(method, path, contentType string, body []byte, key string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// TestScopedAdminStaysInItsDatabases tries every route with an admin key
// scoped to "shop" against the database "secret" and the gateway-wide
// views: nothing succeeds on "secret" and no answer names it.
func TestScopedAdminStaysInItsDatabases(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	s := startServer(t, bin, t.TempDir(), "--api-key", attackAdminKey)
	s.key = attackAdminKey
	s.want(201, "POST", "/admin/databases/spawn/shop", nil)
	s.want(201, "POST", "/admin/databases/spawn/secret", nil)
	s.want(200, "POST", "/api/db/secret/query", map[string]any{"sql": "CREATE TABLE t (x)"})
	s.want(200, "POST", "/api/db/secret/query", map[string]any{"sql": "INSERT INTO t VALUES (1)"})
	s.want(201, "POST", "/admin/databases/secret/backup", nil)
	secretKey := s.newKey("secret-reader", "readonly", "secret")
	scoped := s.newKey("shop-admin", "admin", "shop")
	// traffic on secret so that audit, stats and metrics have something to leak
	s.call("POST", "/api/db/secret/query", map[string]any{"sql": "SELECT * FROM t"}, secretKey)

	csv := []byte("x\n1\n")
	sqlScript := []byte("INSERT INTO t VALUES (2);")
	attempts := []struct {
		method, path, ctype string
		body                []byte
	}{
		{"POST", "/admin/databases/spawn/secret", "", nil},
		{"POST", "/admin/databases/prune/secret", "", nil},
		{"GET", "/admin/databases/secret", "", nil},
		{"DELETE", "/admin/databases/secret?force=true", "", nil},
		{"GET", "/admin/databases/secret/stats", "", nil},
		{"POST", "/admin/databases/secret/backup", "", nil},
		{"GET", "/admin/databases/secret/backups", "", nil},
		{"POST", "/admin/databases/secret/restore", "application/json", []byte(`{"backup":"x"}`)},
		{"POST", "/api/db/secret/query", "application/json", []byte(`{"sql":"SELECT * FROM t"}`)},
		{"POST", "/api/db/secret/explain", "application/json", []byte(`{"sql":"SELECT * FROM t"}`)},
		{"POST", "/api/db/secret/tables", "application/json", []byte(`{"table_name":"u","columns":[{"name":"a","type":"TEXT"}]}`)},
		{"POST", "/api/db/secret/tables/t/rows", "application/json", []byte(`{"rows":[{"x":9}]}`)},
		{"GET", "/api/db/secret/tables/t/rows", "", nil},
		{"GET", "/api/db/secret/schema", "", nil},
		{"GET", "/api/db/secret/export/csv?table=t", "", nil},
		{"GET", "/api/db/secret/export/json?table=t", "", nil},
		{"GET", "/api/db/secret/export/sql", "", nil},
		{"POST", "/api/db/secret/export/query", "application/json", []byte(`{"sql":"SELECT * FROM t"}`)},
		{"POST", "/api/db/secret/import/csv?table=t", "text/csv", csv},
		{"POST", "/api/db/secret/import/sql", "application/sql", sqlScript},
		// keys it may not make: unscoped, or scoped elsewhere
		{"POST", "/admin/keys", "application/json", []byte(`{"name":"escape","role":"admin"}`)},
		{"POST", "/admin/keys", "application/json", []byte(`{"name":"escape2","role":"admin","databases":["secret"]}`)},
		{"POST", "/admin/keys", "application/json", []byte(`{"name":"escape3","role":"readonly","databases":["shop","secret"]}`)},
	}
	for _, a := range attempts {
		status, raw := s.rawCall(a.method, a.path, a.ctype, a.body, scoped)
		if status < 400 {
			t.Errorf("scoped admin: %s %s answered %d: %s", a.method, a.path, status, raw)
		}
		if status >= 500 {
			t.Errorf("scoped admin: %s %s answered %d", a.method, a.path, status)
		}
	}

	// views it may use must not name the other tenant
	for _, path := range []string{"/admin/databases", "/admin/databases?status=all", "/admin/discovery",
		"/admin/keys", "/admin/audit", "/admin/audit?db=secret", "/admin/gateway/stats", "/metrics", "/health"} {
		status, raw := s.rawCall("GET", path, "", nil, scoped)
		if status >= 500 {
			t.Errorf("%s: %d", path, status)
		}
		if bytes.Contains(raw, []byte("secret")) {
			t.Errorf("scoped admin sees the other tenant in %s (%d): %.300s", path, status, raw)
		}
	}

	// the other tenant's key still works: nothing above revoked or changed it
	r := s.call("POST", "/api/db/secret/query", map[string]any{"sql": "SELECT count(*) AS n FROM t"}, secretKey)
	if r.status != 200 || !bytes.Contains(r.raw, []byte(`"n":1`)) {
		t.Fatalf("secret after the attack: %d %s", r.status, r.raw)
	}
	// a key it lists cannot be one of secret's; revoking secret's key by id fails
	keys := s.want(200, "GET", "/admin/keys", nil)
	for _, k := range keys.list {
		m := k.(map[string]any)
		if m["name"] == "secret-reader" {
			id := fmt.Sprint(m["id"])
			if status, raw := s.rawCall("DELETE", "/admin/keys/"+id, "", nil, scoped); status < 400 {
				t.Fatalf("scoped admin revoked another tenant's key: %d %s", status, raw)
			}
		}
	}
	if r := s.call("POST", "/api/db/secret/query", map[string]any{"sql": "SELECT 1"}, secretKey); r.status != 200 {
		t.Fatalf("secret's key after a revoke attempt: %d %s", r.status, r.raw)
	}
	// and inside its scope the scoped admin is a real admin
	if status, raw := s.rawCall("POST", "/api/db/shop/query", "application/json", []byte(`{"sql":"CREATE TABLE mine (a)"}`), scoped); status != 200 {
		t.Fatalf("scoped admin in its own database: %d %s", status, raw)
	}
	if status, raw := s.rawCall("POST", "/admin/keys", "application/json", []byte(`{"name":"shop-ro","role":"readonly","databases":["shop"]}`), scoped); status != 201 {
		t.Fatalf("scoped admin making a key within its scope: %d %s", status, raw)
	}
	s.stop()
}

// TestConnectionStateDoesNotOutliveACall: whatever a readwrite key leaves
// behind, the admin's next writes land in the real table, constraints
// hold, and the rows survive export and restart.
func TestConnectionStateDoesNotOutliveACall(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	s := startServer(t, bin, data, "--api-key", attackAdminKey)
	s.key = attackAdminKey
	s.want(201, "POST", "/admin/databases/spawn/shop", nil)
	for _, q := range []string{
		"CREATE TABLE parent (id INTEGER PRIMARY KEY)",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER CHECK (qty > 0), parent INTEGER REFERENCES parent(id))",
		"INSERT INTO parent VALUES (1)",
	} {
		s.want(200, "POST", "/api/db/shop/query", map[string]any{"sql": q})
	}
	rw := s.newKey("tenant", "readwrite", "shop")
	for _, q := range []string{
		"CREATE TEMP TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, parent INTEGER)",
		"CREATE TEMP TRIGGER rewrite AFTER INSERT ON main.items BEGIN UPDATE main.items SET name = 'pwned' WHERE id = new.id; END",
		"CREATE TEMP VIEW v AS SELECT 1",
		"PRAGMA foreign_keys = 0",
		"PRAGMA ignore_check_constraints = 1",
		"PRAGMA recursive_triggers = 1",
		"PRAGMA defer_foreign_keys = 1",
		"PRAGMA legacy_alter_table = 1",
		"PRAGMA cache_size = 1",
		"PRAGMA wal_autocheckpoint = 0",
		"PRAGMA temp_store = FILE",
		"PRAGMA case_sensitive_like = 1",
		"BEGIN",
		"SAVEPOINT s1",
	} {
		// refused or harmless: either way the next call must not see it
		s.call("POST", "/api/db/shop/query", map[string]any{"sql": q}, rw)
	}
	for i := 0; i < 4; i++ { // several calls, so every pooled connection is used
		r := s.want(200, "POST", "/api/db/shop/query", map[string]any{"sql": "INSERT INTO items (name, qty, parent) VALUES (?, ?, 1)", "params": []any{"anvil" + strconv.Itoa(i), 3}})
		if r.obj["rows_affected"] != 1.0 {
			t.Fatalf("admin insert: %s", r.raw)
		}
	}
	r := s.want(200, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT name FROM main.items ORDER BY id"})
	if got := names(r.obj["data"].([]any), "name"); strings.Join(got, ",") != "anvil0,anvil1,anvil2,anvil3" {
		t.Fatalf("admin rows after the tenant's calls: %v", got)
	}
	for _, bad := range []string{
		"INSERT INTO items (name, qty, parent) VALUES ('bad', -1, 1)", // CHECK
		"INSERT INTO items (name, qty, parent) VALUES ('bad', 1, 99)", // FK
	} {
		if r := s.call("POST", "/api/db/shop/query", map[string]any{"sql": bad}, attackAdminKey); r.status != 400 {
			t.Errorf("constraint no longer enforced for %q: %d %s", bad, r.status, r.raw)
		}
	}
	status, csv := s.rawCall("GET", "/api/db/shop/export/csv?table=items", "", nil, attackAdminKey)
	if status != 200 || !bytes.Contains(csv, []byte("anvil3")) || bytes.Contains(csv, []byte("pwned")) {
		t.Fatalf("export after the tenant's calls: %d %s", status, csv)
	}
	s.stop()
	s2 := startServer(t, bin, data)
	s2.key = attackAdminKey
	r = s2.want(200, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT count(*) AS n FROM items WHERE name LIKE 'anvil%'"})
	if !bytes.Contains(r.raw, []byte(`"n":4`)) {
		t.Fatalf("rows after restart: %s", r.raw)
	}
	s2.stop()
}

// peakRSS reads the high-water mark of a process's resident set in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// TestReadonlyKeyCannotExhaustMemory sends the queries that used to take
// the server to gigabytes; the peak RSS stays bounded and others are served.
func TestReadonlyKeyCannotExhaustMemory(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	s := startServer(t, bin, t.TempDir(), "--api-key", attackAdminKey, "--query-timeout", "3s")
	s.key = attackAdminKey
	s.want(201, "POST", "/admin/databases/spawn/shop", nil)
	ro := s.newKey("reader", "readonly", "shop")
	hc := &http.Client{Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	for _, q := range []string{
		"SELECT zeroblob(999000000)",
		"SELECT randomblob(1000000000)",
		"SELECT printf('%.*c', 900000000, 'x')",
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 100000) SELECT randomblob(1000000) FROM c",
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 100000) SELECT hex(randomblob(300000)) FROM c",
	} {
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func(q string) {
				defer wg.Done()
				b, _ := json.Marshal(map[string]any{"sql": q})
				req, _ := http.NewRequest("POST", s.url+"/api/db/shop/query", bytes.NewReader(b))
				req.Header.Set("X-API-Key", ro)
				req.Header.Set("Content-Type", "application/json")
				if resp, err := hc.Do(req); err == nil {
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					// 503 SERVER_BUSY is the documented answer to a large
					// result that found no free memory slot in time; any
					// other 5xx is a failure
					busy := resp.StatusCode == 503 && bytes.Contains(raw, []byte(`"SERVER_BUSY"`))
					if resp.StatusCode >= 500 && !busy {
						t.Errorf("%q: %d", q, resp.StatusCode)
					}
				}
			}(q)
		}
	}
	// others are served while the attack runs, not only after it
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if r := s.call("POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1 AS one"}, attackAdminKey); r.status != 200 {
		t.Errorf("admin query during the attack: %d %s", r.status, r.raw)
	} else if d := time.Since(start); d > 2*time.Second {
		t.Errorf("admin query during the attack took %v", d)
	}
	wg.Wait()
	peak := peakRSS(t, s.cmd.Process.Pid)
	t.Logf("server peak RSS: %d MiB", peak>>20)
	if peak > 600<<20 {
		t.Errorf("server peak RSS %d MiB after the readonly key's queries (want a few hundred at most)", peak>>20)
	}
	if r := s.want(200, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1 AS one"}); !bytes.Contains(r.raw, []byte(`"one":1`)) {
		t.Fatalf("server after the attack: %s", r.raw)
	}
	s.stop()
}

// TestStalledBodiesDoNotLockADatabase: 80 requests from one key that send
// their headers and then stall must not delay the admin on the same database.
func TestStalledBodiesDoNotLockADatabase(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	s := startServer(t, bin, t.TempDir(), "--api-key", attackAdminKey)
	s.key = attackAdminKey
	s.want(201, "POST", "/admin/databases/spawn/shop", nil)
	rw := s.newKey("staller", "readwrite", "shop")
	addr := strings.TrimPrefix(s.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < 80; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST /api/db/shop/query HTTP/1.1\r\nHost: %s\r\nX-API-Key: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sql\": \"SELE", addr, rw)
	}
	time.Sleep(500 * time.Millisecond) // let the server take them in
	for i := 0; i < 3; i++ {
		start := time.Now()
		r := s.call("POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1 AS one"}, attackAdminKey)
		if d := time.Since(start); r.status != 200 || d > time.Second {
			t.Fatalf("admin query beside 80 stalled bodies: %d after %v: %s", r.status, d, r.raw)
		}
	}
	// a stalled request ends in time, with an answer or a closed connection
	conns[0].SetReadDeadline(time.Now().Add(2 * time.Minute))
	start := time.Now()
	line, _ := bufio.NewReader(conns[0]).ReadString('\n')
	if d := time.Since(start); d > 90*time.Second {
		t.Fatalf("a stalled body was held for %v (%q)", d, line)
	}
	s.stop()
}
