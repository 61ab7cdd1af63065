package gateway

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var updateWire = flag.Bool("update-wire", false, "rewrite testdata/wire.golden from the gateway's answers")

// wireStep is one request of the wire golden: its answer's status and body
// (normalised) are recorded.
type wireStep struct {
	method, path string
	body         any
	key          string // "" = the admin key
	bodyless     bool   // record the status only (HTML, Prometheus text)
}

// wireVolatile are the parts of an answer that differ from run to run:
// times, ids, keys, durations, sizes of files and addresses. Each is
// replaced by a placeholder of the same JSON type, so a field that turns
// null, moves or disappears still changes the golden.
var wireVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "<time>"},
	{regexp.MustCompile(`\d{8}T\d{6}[0-9A-Za-z._-]*\.db`), "<backup>.db"},
	{regexp.MustCompile(`"(container_id|id|key_id)":"[0-9a-zA-Z_-]{6,}"`), `"$1":"<id>"`},
	{regexp.MustCompile(`/admin/keys/key_[0-9a-zA-Z_-]+`), `/admin/keys/<id>`},
	{regexp.MustCompile(`dbf_[0-9A-Za-z_-]{10,}`), "<key>"},
	{regexp.MustCompile(`"(execution_time_ms|uptime_seconds|duration_ms|p50|p95|p99|qps|p95_ms|size_bytes|wal_bytes|page_count|open_connections|written|dropped|queries_total|rows_read|rows_written|errors_total|errors)":-?[0-9.eE+-]+`), `"$1":0`},
	{regexp.MustCompile(`"remote_addr":"[^"]*"`), `"remote_addr":"<addr>"`},
	{regexp.MustCompile(`"version":"[^"]*"`), `"version":"<version>"`},
	{regexp.MustCompile(`\{"id":\d+,"time"`), `{"id":0,"time"`},
	// the test's own polling of the audit log
	{regexp.MustCompile(`"(GET /admin/audit|total_requests)":\d+`), `"$1":0`},
}

func normaliseWire(b []byte) []byte {
	for _, v := range wireVolatile {
		b = v.re.ReplaceAll(b, []byte(v.with))
	}
	return b
}

// TestWireGolden records the answer of every route (successes and the
// error shapes) into testdata/wire.golden: the JSON on the wire, field
// names, order, nulls and omitted fields, must not change when the types
// behind it move. `go test ./internal/gateway -run TestWireGolden
// -update-wire` rewrites it after a deliberate contract change (and
// docs/API.md changes with it).
func TestWireGolden(t *testing.T) {
	f := newFixture(t, Options{})
	rw, _ := f.createKey("app", "readwrite", "shop")
	ro, _ := f.createKey("reader", "readonly")
	steps := []wireStep{
		{method: "GET", path: "/"},
		{method: "GET", path: "/health"},
		{method: "GET", path: "/metrics", bodyless: true},
		{method: "GET", path: "/docs", bodyless: true},
		{method: "POST", path: "/admin/databases/spawn/shop"},
		{method: "POST", path: "/admin/databases/spawn/shop"},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n REAL, b BLOB, d DATETIME)"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "INSERT INTO t(v, n, b, d) VALUES ('a', 1.5, X'00ff', '2024-01-02 03:04:05'), ('ünï \"q\"\n', 1e300, NULL, NULL), (NULL, 2.0, X'', 'x')"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "INSERT INTO t(v, n) VALUES (?, ?)", "params": []any{"p", 9007199254740993}}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT * FROM t ORDER BY id"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT id, v, 9223372036854775807 AS big, -0.0 AS z FROM t ORDER BY id", "shape": "rows", "limit": 2, "offset": 1}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT id FROM t WHERE id = :id", "params": map[string]any{"id": 1}}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT 1 WHERE 0"}},
		{method: "POST", path: "/api/db/shop/tables", body: map[string]any{"table_name": "u", "columns": []any{
			map[string]any{"name": "id", "type": "INTEGER", "primary_key": true},
			map[string]any{"name": "name", "type": "TEXT", "not_null": true, "default": "x"},
		}}},
		{method: "POST", path: "/api/db/shop/tables/u/rows", body: map[string]any{"rows": []any{map[string]any{"name": "ann"}, map[string]any{"name": "bob"}}}},
		{method: "GET", path: "/api/db/shop/tables/u/rows?limit=1"},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "CREATE INDEX u_name ON u(name)"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "CREATE TABLE o(id INTEGER PRIMARY KEY, u INTEGER REFERENCES u(id))"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "CREATE TRIGGER tr AFTER INSERT ON o BEGIN SELECT 1; END"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "CREATE VIEW vw AS SELECT id FROM u"}},
		{method: "GET", path: "/api/db/shop/schema"},
		{method: "POST", path: "/api/db/shop/explain", body: map[string]any{"sql": "SELECT * FROM u JOIN o ON o.u = u.id WHERE u.name = 'x'"}},
		{method: "GET", path: "/admin/databases"},
		{method: "GET", path: "/admin/databases?status=all"},
		{method: "GET", path: "/admin/discovery"},
		{method: "GET", path: "/admin/databases/shop"},
		{method: "GET", path: "/admin/databases/shop/stats"},
		{method: "GET", path: "/api/db/shop/export/csv?table=t"},
		{method: "GET", path: "/api/db/shop/export/json?table=t"},
		{method: "GET", path: "/api/db/shop/export/json?table=t&ndjson=true"},
		{method: "GET", path: "/api/db/shop/export/sql"},
		{method: "POST", path: "/api/db/shop/export/query", body: map[string]any{"sql": "SELECT id, v FROM t ORDER BY id"}},
		{method: "POST", path: "/api/db/shop/export/query", body: map[string]any{"sql": "SELECT id, v, b FROM t ORDER BY id", "format": "json"}},
		{method: "POST", path: "/api/db/shop/export/query", body: map[string]any{"sql": "SELECT id FROM t ORDER BY id", "format": "ndjson"}},
		{method: "POST", path: "/api/db/shop/export/query", body: map[string]any{"sql": "SELECT id FROM t", "format": "sql"}},
		{method: "POST", path: "/api/db/shop/import/csv?table=imp&header=true", body: "id,v\n1,x\n2,\n"},
		{method: "POST", path: "/api/db/shop/import/sql", body: "INSERT INTO imp(id, v) VALUES (3, 'y'); UPDATE imp SET v = 'z';"},
		{method: "POST", path: "/admin/databases/shop/backup"},
		{method: "GET", path: "/admin/databases/shop/backups"},
		{method: "POST", path: "/admin/databases/shop/restore", body: map[string]any{"backup": "{backup}"}},
		{method: "POST", path: "/admin/databases/shop/fork/shop2"},
		{method: "GET", path: "/admin/templates"},
		{method: "POST", path: "/admin/databases/spawn/kv1", body: map[string]any{"template": "kv"}},
		{method: "POST", path: "/admin/databases/spawn/fromsql", body: map[string]any{"from_sql": "CREATE TABLE a(x); INSERT INTO a VALUES (1);"}},
		{method: "POST", path: "/admin/databases/prune/shop2"},
		{method: "GET", path: "/admin/databases?status=all"},
		{method: "POST", path: "/api/db/shop2/query", body: map[string]any{"sql": "SELECT 1"}},
		{method: "POST", path: "/admin/databases/spawn/shop2"},
		{method: "DELETE", path: "/admin/databases/shop2"},
		{method: "DELETE", path: "/admin/databases/fromsql?force=true"},
		{method: "GET", path: "/admin/keys"},
		{method: "POST", path: "/admin/keys", body: map[string]any{"name": "temp", "role": "readonly", "databases": []string{"shop"}}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT count(*) AS n FROM t", "read_only": true}},
		{method: "DELETE", path: "/admin/keys/{id}"},
		{method: "GET", path: "/admin/keys"},
		// errors, one of each shape the routes answer
		{method: "POST", path: "/admin/databases/spawn/bad%20name"},
		{method: "POST", path: "/admin/databases/spawn/-x"},
		{method: "GET", path: "/admin/databases/nosuch"},
		{method: "POST", path: "/api/db/nosuch/query", body: map[string]any{"sql": "SELECT 1"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELEC 1"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT 1; SELECT 2"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": ""}},
		{method: "POST", path: "/api/db/shop/query", body: "{not json"},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": 5}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT 1", "params": "x"}},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "INSERT INTO t(v) VALUES ('w')"}, key: ro},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT 1"}, key: "dbf_wrong-key-0000000000"},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT 1"}, key: "-"},
		{method: "GET", path: "/admin/keys", key: rw},
		{method: "POST", path: "/api/db/shop/query", body: map[string]any{"sql": "SELECT * FROM nosuch"}},
		{method: "GET", path: "/api/db/shop/tables/bad%22name/rows"},
		{method: "GET", path: "/api/db/shop/export/csv"},
		{method: "POST", path: "/admin/databases/shop/restore", body: map[string]any{"backup": "nosuch"}},
		{method: "POST", path: "/admin/databases/shop/fork/kv1"},
		{method: "DELETE", path: "/admin/keys/key_nosuch"},
		{method: "POST", path: "/admin/keys", body: map[string]any{"name": "x", "role": "boss"}},
		{method: "GET", path: "/nosuch"},
		{method: "PUT", path: "/admin/databases"},
		{method: "POST", path: "/admin/databases/spawn/kv2", body: map[string]any{"template": "nosuch"}},
		{method: "DELETE", path: "/admin/databases/shop"},
	}
	var out bytes.Buffer
	// what later steps name: the last backup made, the last key created (its id)
	last := map[string]string{}
	for _, s := range steps {
		var r response
		path := strings.ReplaceAll(s.path, "{id}", last["id"])
		if m, ok := s.body.(map[string]any); ok && m["backup"] == "{backup}" {
			s.body = map[string]any{"backup": last["backup"]}
		}
		switch s.key {
		case "":
			r = f.do(s.method, path, s.body)
		case "-":
			r = f.doWith(s.method, path, s.body, nil)
		default:
			r = f.as(s.key, s.method, path, s.body)
		}
		switch {
		case strings.HasSuffix(path, "/backup"):
			last["backup"] = r.str("name")
		case path == "/admin/keys" && s.method == "POST" && r.status == 201:
			last["id"] = r.str("id")
		}
		writeWireAnswer(&out, s, r)
	}
	// the audit log last, once every call above is in it (newest first); the
	// admin key's entries only, as calls without a key are folded and written
	// up to a second later
	waitAuditSettled(t, f, "/admin/audit?limit=10000&db=shop&key=admin")
	for _, s := range []wireStep{
		{method: "GET", path: "/admin/audit?limit=3&db=shop&key=admin"},
		{method: "GET", path: "/admin/gateway/stats"},
	} {
		writeWireAnswer(&out, s, f.do(s.method, s.path, s.body))
	}
	checkWireGolden(t, "wire.golden", out.Bytes())
}

// TestWireGoldenEmpty records the answers of a gateway with nothing in
// it, and of an empty database: where a list is [] and where null.
func TestWireGoldenEmpty(t *testing.T) {
	f := newFixture(t, Options{})
	var out bytes.Buffer
	for _, s := range []wireStep{
		{method: "GET", path: "/admin/databases"},
		{method: "GET", path: "/admin/databases?status=stopped"},
		{method: "GET", path: "/admin/discovery"},
		{method: "GET", path: "/admin/keys"},
		{method: "GET", path: "/admin/audit?db=e"},
		{method: "POST", path: "/admin/databases/spawn/e"},
		{method: "GET", path: "/api/db/e/schema"},
		{method: "GET", path: "/admin/databases/e"},
		{method: "GET", path: "/admin/databases/e/backups"},
		{method: "POST", path: "/api/db/e/explain", body: map[string]any{"sql": "SELECT 1"}},
		{method: "GET", path: "/api/db/e/export/sql"},
		{method: "POST", path: "/api/db/e/import/sql", body: "SELECT 1;"},
		{method: "POST", path: "/api/db/e/import/csv?table=x", body: "a,b\n"},
		{method: "POST", path: "/admin/databases/prune/e"},
		{method: "GET", path: "/admin/databases?status=stopped"},
		{method: "DELETE", path: "/admin/databases/e?force=true"},
	} {
		writeWireAnswer(&out, s, f.do(s.method, s.path, s.body))
	}
	checkWireGolden(t, "wire_empty.golden", out.Bytes())
}

// writeWireAnswer records one step's answer: status, content type, the
// download name when there is one, and the body with its volatile parts
// normalised.
func writeWireAnswer(out *bytes.Buffer, s wireStep, r response) {
	fmt.Fprintf(out, "=== %s %s → %d %s\n", s.method, s.path, r.status, r.header.Get("Content-Type"))
	if cd := r.header.Get("Content-Disposition"); cd != "" {
		fmt.Fprintf(out, "Content-Disposition: %s\n", cd)
	}
	if !s.bodyless {
		out.Write(normaliseWire(r.raw))
		out.WriteString("\n")
	}
}

// waitAuditSettled waits until the audit query's entry count stays the
// same for a while: the asynchronous writer has caught up.
func waitAuditSettled(t *testing.T, f *fixture, path string) {
	t.Helper()
	last, same := -1, 0
	for range 500 {
		entries, _ := f.do("GET", path, nil).body["entries"].([]any)
		if len(entries) == last && last > 0 {
			if same++; same == 5 {
				return
			}
		} else {
			last, same = len(entries), 0
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the audit log never settled for %s", path)
}

// checkWireGolden compares got with testdata/name, or rewrites it with
// -update-wire.
func checkWireGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateWire {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-wire to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("the wire changed at line %d of %s:\n got: %.600s\nwant: %.600s", i+1, path, gl, wl)
		}
	}
}
