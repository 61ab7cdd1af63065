package e2e

// The PostgreSQL backend through the real binary: `dbforge serve
// --postgres` on a throwaway cluster, the CLI against it, the README's MK1
// curl flow sent as curl sends it, transfers, backups, tenant isolation
// checked from the server's side, and a restart.

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/pgtest"
	"github.com/dbforge/dbforge/internal/testserve"
)

// remote runs the binary against the gateway at url with key and returns
// its stdout; a non-zero exit fails the test unless fail is set, and then
// it returns stderr.
func remote(t *testing.T, bin, url, key string, fail bool, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DBFORGE_URL="+url, "DBFORGE_API_KEY="+key, "DBFORGE_CONFIG=",
		"XDG_CONFIG_HOME="+t.TempDir(), "DBFORGE_DATA="+t.TempDir())
	var out, errb testserve.SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	switch {
	case fail && err == nil:
		t.Fatalf("dbforge %v succeeded, want a failure:\n%s", args, out.String())
	case fail:
		return errb.String()
	case err != nil:
		t.Fatalf("dbforge %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// curl sends a request as curl does: -X METHOD, -H "X-API-Key: …", and
// with -d a body plus the Content-Type header the README passes.
func curl(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	resp, raw := curlResponse(t, method, url, key, body)
	return resp.StatusCode, raw
}

// curlResponse is curl with the whole response (its body already read).
func curlResponse(t *testing.T, method, url, key, body string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "curl/8.5.0")
	req.Header.Set("Accept", "*/*")
	req.Header.Set("X-API-Key", key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

func TestPostgresThroughTheBinary(t *testing.T) {
	cluster := pgtest.Start(t)
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	const key = "dbf_e2e-postgres-key-0123456789abcdef"
	serve := func() *server {
		s := startServer(t, bin, data, "--api-key", key, "--postgres", cluster.AdminDSN())
		s.key = key
		return s
	}
	s := serve()
	cli := func(args ...string) string { return remote(t, bin, s.url, key, false, args...) }
	U := s.url
	want := func(status int, method, path, body, contains string) string {
		t.Helper()
		got, raw := curl(t, method, U+path, key, body)
		if got != status || !strings.Contains(raw, contains) {
			t.Fatalf("%s %s: %d %s, want %d containing %s", method, path, got, raw, status, contains)
		}
		return raw
	}

	cli("db", "spawn", "shop", "--backend", "postgres")
	want(200, "GET", "/admin/databases/shop", "", `"backend":"postgres"`)

	// the README's MK1 flow, as curl sends it
	want(200, "POST", "/admin/databases/spawn/shop", "", "Database instance already exists and is running.")
	want(201, "POST", "/api/db/shop/tables",
		`{"table_name":"items","columns":[{"name":"id","type":"INTEGER","primary_key":true},{"name":"name","type":"TEXT"}]}`, "")
	want(201, "POST", "/api/db/shop/tables/items/rows", `{"rows":[{"id":1,"name":"anvil"},{"id":2,"name":"hammer"}]}`, `"rows_affected":2`)
	want(200, "GET", "/api/db/shop/tables/items/rows?name=anvil", "", `"data":[{"id":1,"name":"anvil"}]`)
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT count(*) AS n FROM items"}`, `"data":[{"n":2}]`)
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT name FROM items WHERE id = ?","params":[2]}`, `"data":[{"name":"hammer"}]`)
	want(200, "POST", "/api/db/shop/explain", `{"sql":"SELECT * FROM items WHERE id = 1"}`, "cost=")
	want(200, "GET", "/api/db/shop/schema", "", `"name":"items"`)
	want(200, "POST", "/admin/databases/prune/shop", "", "")
	want(409, "POST", "/api/db/shop/query", `{"sql":"SELECT 1"}`, "STOPPED")
	want(201, "POST", "/admin/databases/spawn/shop", "", `"restarted":true`)
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT count(*) AS n FROM items"}`, `"data":[{"n":2}]`)

	// CSV export → import round trip with the CLI
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "items.csv")
	cli("export", "shop", "--table", "items", "-o", csvPath)
	b, err := os.ReadFile(csvPath)
	if err != nil || string(b) != "id,name\r\n1,anvil\r\n2,hammer\r\n" && string(b) != "id,name\n1,anvil\n2,hammer\n" {
		t.Fatalf("exported CSV %q, %v", b, err)
	}
	cli("import", "shop", csvPath, "--table", "copy")
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT id, name FROM copy ORDER BY id"}`, `"data":[{"id":1,"name":"anvil"},{"id":2,"name":"hammer"}]`)
	// the SQL dump restores into an empty PostgreSQL database
	dumpPath := filepath.Join(dir, "shop.sql")
	cli("export", "shop", "-o", dumpPath)
	cli("db", "spawn", "shop2", "--backend", "postgres")
	cli("import", "shop2", dumpPath)
	want(200, "POST", "/api/db/shop2/query", `{"sql":"SELECT count(*) AS n FROM copy"}`, `"data":[{"n":2}]`)

	// backup, lose rows, restore
	cli("backup", "shop")
	raw := want(200, "GET", "/admin/databases/shop/backups", "", `"name":`)
	name := regexp.MustCompile(`"name":"([^"]+)"`).FindStringSubmatch(raw)[1]
	want(200, "POST", "/api/db/shop/query", `{"sql":"DELETE FROM items"}`, `"rows_affected":2`)
	cli("restore", "shop", name, "--force")
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT count(*) AS n FROM items"}`, `"data":[{"n":2}]`)

	// isolation, seen from the server: neither owner role may connect to
	// the other's database (nothing is derived from the data directory)
	cli("db", "spawn", "other", "--backend", "postgres")
	idOf := func(db string) string {
		raw := want(200, "GET", "/admin/databases/"+db, "", "")
		return regexp.MustCompile(`"container_id":"([0-9a-f]+)"`).FindStringSubmatch(raw)[1]
	}
	a, o := idOf("shop"), idOf("other")
	for _, pair := range [][2]string{{a, o}, {o, a}} {
		role, db := "dbforge_"+pair[0]+"_owner", "dbforge_"+pair[1]
		if got := cluster.AdminQuery(t, "SELECT has_database_privilege($1, $2, 'CONNECT')::text", role, db); got != "false" {
			t.Fatalf("%s may CONNECT to %s", role, db)
		}
		if got := cluster.AdminQuery(t, "SELECT has_database_privilege($1, $2, 'CONNECT')::text", role, "dbforge_"+pair[0]); got != "true" {
			t.Fatalf("%s may not CONNECT to its own database", role)
		}
		if got := cluster.AdminQuery(t, "SELECT (rolsuper OR rolcreatedb OR rolcreaterole)::text FROM pg_roles WHERE rolname = $1", role); got != "false" {
			t.Fatalf("%s has a server-wide privilege", role)
		}
	}
	// a read-only key cannot write, by the API or the CLI
	out := cli("keys", "create", "reader", "--role", "readonly", "--db", "shop")
	reader := regexp.MustCompile(`dbf_[A-Za-z0-9_-]+`).FindString(out)
	if reader == "" {
		t.Fatalf("no key in %q", out)
	}
	if st, raw := curl(t, "POST", U+"/api/db/shop/query", reader, `{"sql":"DELETE FROM items"}`); st < 400 || st >= 500 {
		t.Fatalf("read-only key wrote: %d %s", st, raw)
	}
	if st, raw := curl(t, "POST", U+"/api/db/shop/query", reader, `{"sql":"SELECT count(*) AS n FROM items"}`); st != 200 || !strings.Contains(raw, `"n":2`) {
		t.Fatalf("read-only key read: %d %s", st, raw)
	}
	if st, _ := curl(t, "POST", U+"/api/db/other/query", reader, `{"sql":"SELECT 1"}`); st != 403 {
		t.Fatalf("a key scoped to shop on other: %d", st)
	}
	remote(t, bin, s.url, reader, true, "import", "shop", csvPath, "--table", "items")
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT count(*) AS n FROM items"}`, `"data":[{"n":2}]`)

	// a restart of serve keeps PostgreSQL databases running
	s.stop()
	s = serve()
	U = s.url
	want(200, "POST", "/api/db/shop/query", `{"sql":"SELECT count(*) AS n FROM items"}`, `"data":[{"n":2}]`)
	if !strings.Contains(cli("db", "list"), "postgres") {
		t.Fatal("db list does not show the backend")
	}

	// delete drops the database and both roles on the server
	want(400, "DELETE", "/admin/databases/shop", "", "force=true")
	want(200, "DELETE", "/admin/databases/shop?force=true", "", "")
	if got := cluster.AdminQuery(t, "SELECT count(*)::text FROM pg_database WHERE datname = $1", "dbforge_"+a); got != "0" {
		t.Fatal("the database outlived delete")
	}
	if got := cluster.AdminQuery(t, "SELECT count(*)::text FROM pg_roles WHERE rolname LIKE $1", "dbforge_"+a+"%"); got != "0" {
		t.Fatal("a role outlived delete")
	}
	want(404, "POST", "/api/db/shop/query", `{"sql":"SELECT 1"}`, "")
	s.stop()
}
