package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/testserve"
)

// stressEnv makes the replay, crash and load tests run their long form
// (make stress sets it).
const stressEnv = "DBFORGE_STRESS"

// long reports whether the long form was asked for.
func long() bool { v, _ := strconv.ParseBool(os.Getenv(stressEnv)); return v }

// pick returns short in CI and long under make stress.
func pick(short, long_ int) int {
	if long() {
		return long_
	}
	return short
}

const adminKey = "dbf_e2e-admin-key-0123456789abcdef"

// inProcess is a real gateway over a real engine, served on loopback.
type inProcess struct {
	eng  *engine.Engine
	srv  *httptest.Server
	logs *testserve.SyncBuffer
}

func startInProcess(t testing.TB, cfg engine.Config) *inProcess {
	t.Helper()
	cfg.DataDir = t.TempDir()
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	logs := &testserve.SyncBuffer{}
	gw := gateway.New(eng, gateway.Options{
		AdminKeyHash: auth.Hash(adminKey),
		MaxBodyBytes: 1 << 20,
		Logger:       slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &inProcess{eng: eng, srv: srv, logs: logs}
}

// mustExec runs SQL through the engine directly.
func mustExec(t testing.TB, eng *engine.Engine, db, sql string) *engine.Result {
	t.Helper()
	res, err := eng.Exec(context.Background(), db, engine.Query{SQL: sql})
	if err != nil {
		t.Fatalf("%s: %s: %v", db, sql, err)
	}
	return res
}

// digest is a checksum of a database's schema and canary table.
func digest(t testing.TB, eng *engine.Engine, db string) string {
	t.Helper()
	schema := mustExec(t, eng, db, "SELECT group_concat(type || name || coalesce(sql, ''), '|') FROM (SELECT * FROM sqlite_schema ORDER BY name)")
	data := mustExec(t, eng, db, "SELECT count(*), group_concat(id || '=' || quote(v), ',') FROM (SELECT * FROM canary ORDER BY id)")
	return fmt.Sprint(schema.Rows, data.Rows)
}

// badRequest is one generated request.
type badRequest struct {
	method, path string // path is sent as written (already escaped)
	body         []byte
	key          string
	contentType  string
}

// generator builds hostile requests from a seeded source, so a failure
// replays exactly.
type generator struct {
	r        *rand.Rand
	readOnly string // readonly key scoped to "canary"
	big      []byte // one body past the 1 MiB limit, shared by every request that sends it
}

func newGenerator(seed uint64, readOnly string) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 7)), readOnly: readOnly, big: bytes.Repeat([]byte("x"), (1<<20)+100)}
}

// injections are hostile strings for identifier and value positions.
var injections = []string{
	`canary"; DROP TABLE canary; --`, `canary'; DELETE FROM canary; --`, `x" OR 1=1 --`, "`canary`",
	`canary]; DROP TABLE canary`, `" || (SELECT sql FROM sqlite_schema) || "`, `main.canary`, `sqlite_schema`,
	`../canary`, `..%2Fcanary`, `%00`, "a\x00b", "\xff\xfe", "\u202e", strings.Repeat("A", 300),
	`"`, `""`, `'`, `;`, `--`, `/*`, `*/`, "\n", " ", "", `canary" (a) VALUES (1); --`,
	`id" = 1 OR "1`, "zeroblob(1e9)", "NULL", `${jndi:ldap://x}`, "{{7*7}}", "\\", "%s%n",
}

var hostileSQL = []string{
	"DROP TABLE canary", "DELETE FROM canary", "UPDATE canary SET v = 'owned'",
	"WITH x AS (SELECT 1) DELETE FROM canary", "WITH x(v) AS (VALUES ('z')) INSERT INTO canary(v) SELECT v FROM x",
	"ATTACH DATABASE '/tmp/evil.db' AS evil", "PRAGMA writable_schema=1", "VACUUM INTO '/tmp/evil.db'",
	"VACUUM/**/INTO'/tmp/evil.db'", "PRAGMA journal_mode=DELETE", "PRAGMA max_page_count=1",
	"CREATE TABLE evil(a)", "ALTER TABLE canary RENAME TO gone", "REPLACE INTO canary VALUES (1, 'x')",
	"INSERT INTO canary(v) VALUES ('x') RETURNING *", "PRAGMA query_only=0", "CREATE TRIGGER t AFTER INSERT ON canary BEGIN DELETE FROM canary; END",
	// memory and time: one value may not be larger than the result budget
	"SELECT zeroblob(999000000)", "SELECT randomblob(1000000000)", "SELECT printf('%.*c', 900000000, 'x')",
	"SELECT length(replace(zeroblob(60000000), x'00', 'ab'))", "SELECT * FROM pragma_database_list",
}

// brokenSQL is refused before it runs (or reads only) whoever sends it.
var brokenSQL = []string{
	"SELECT 1; DROP TABLE canary", "SELECT * FROM canary; DELETE FROM canary", "DROP TABLE canary; SELECT 1",
	"SELEC * FROM canary", "SELECT * FROM", "'", `"`, "/*", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT x",
	"", "   ", ";", ";;", "-- only a comment", "SELECT ?", "SELECT :a", "SELECT * FROM canary WHERE id = ?",
	"SELECT x'zz'", "SELECT 1e999999", "SELECT 99999999999999999999999", "VACUUM INTO 'x.db'",
	"SELECT load_extension('x')", "SELECT * FROM nosuch", "EXPLAIN DROP TABLE canary",
	// state that would outlive the call on a shared connection: refused to every key
	"CREATE TEMP TABLE canary(id, v)", "CREATE TABLE temp.canary(id, v)", "CREATE TEMP VIEW canary AS SELECT 1",
	"CREATE TEMP TRIGGER t AFTER INSERT ON main.canary BEGIN DELETE FROM main.canary; END",
	"PRAGMA foreign_keys=0", "PRAGMA ignore_check_constraints=1", "PRAGMA recursive_triggers=1",
	"PRAGMA defer_foreign_keys=1", "PRAGMA legacy_alter_table=1", "PRAGMA cache_size=1",
	"PRAGMA wal_autocheckpoint=0", "PRAGMA temp_store=FILE", "PRAGMA case_sensitive_like=1",
}

func (g *generator) one(list []string) string { return list[g.r.IntN(len(list))] }

// randomBytes returns n random bytes.
func (g *generator) randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return b
}

// segment is a hostile path segment, escaped so it travels as written.
func (g *generator) segment() string {
	switch g.r.IntN(8) {
	case 0:
		return url.PathEscape(string(g.randomBytes(1 + g.r.IntN(20))))
	case 1:
		return g.one([]string{"..%2Fcanary", "%2e%2e", "%2E%2E%2Fscratch", "canary%2F..%2Fscratch", "canary%00", "%252e%252e", "canary%20", "CANARY", "canary.", "-canary", "_x", "a.b-c_d", "%C0%AE%C0%AE"})
	case 2:
		return strings.Repeat("a", 60+g.r.IntN(10))
	case 3:
		return url.PathEscape(g.one(injections))
	default:
		return g.one([]string{"canary", "scratch", "nosuch", "x"})
	}
}

// body returns a hostile JSON (or not JSON) body for the query routes.
func (g *generator) queryBody(sqlList []string) []byte {
	switch g.r.IntN(12) {
	case 0:
		return g.randomBytes(g.r.IntN(200))
	case 1:
		return []byte(`{"sql": "SELECT 1"`) // truncated
	case 2:
		return []byte(`{"sql": 5}`)
	case 3:
		return []byte(`{"sql": "SELECT 1", "params": "x"}`)
	case 4:
		return []byte(`{"sql": "SELECT ?", "params": [1e999]}`)
	case 5:
		return []byte(`{"sql": "SELECT ?", "params": [123456789012345678901234567890]}`)
	case 6:
		return []byte(`{"sql": "SELECT 1", "limit": ` + g.one([]string{"-1", "1e20", `"10"`, "9223372036854775808", "null", "[]"}) + `}`)
	case 7:
		return []byte("{\"sql\": \"SELECT '\xff\xfe'\"}")
	case 8:
		return []byte(strings.Repeat("[", 5000) + strings.Repeat("]", 5000))
	case 9:
		return []byte(`{"sql": "SELECT ?", "params": [{"$blob": "!!notbase64"}]}`)
	case 10:
		return []byte(`{"sql": "SELECT 1", "shape": "` + g.one(injections) + `"}`)
	}
	b, _ := json.Marshal(map[string]any{"sql": g.one(sqlList), "params": []any{g.one(injections), g.r.Int64(), g.r.Float64()}})
	return b
}

// next builds one request. Writes that would really run are only ever sent
// with the readonly key, or as refused forms (several statements, bad
// identifiers), so a correct gateway changes no canary data.
func (g *generator) next() badRequest {
	admin := func(m, p string, b []byte) badRequest { return badRequest{method: m, path: p, body: b, key: adminKey} }
	db := g.one([]string{"canary", "scratch"})
	switch g.r.IntN(15) {
	case 0: // hostile SQL with the readonly key
		return badRequest{method: "POST", path: "/api/db/" + db + "/query", body: g.queryBody(hostileSQL), key: g.readOnly}
	case 1: // refused SQL with the admin key
		return admin("POST", "/api/db/"+db+"/query", g.queryBody(brokenSQL))
	case 2: // injection in the table position of the rows routes
		t := url.PathEscape(g.one(injections))
		if g.r.IntN(2) == 0 {
			return admin("GET", "/api/db/"+db+"/tables/"+t+"/rows?limit="+g.one([]string{"1", "-1", "x", "99999999999999999999"}), nil)
		}
		b, _ := json.Marshal(map[string]any{"rows": []any{map[string]any{"v": g.one(injections)}}})
		return admin("POST", "/api/db/"+db+"/tables/"+t+"/rows", b)
	case 3: // injection in column and filter positions
		if g.r.IntN(2) == 0 {
			q := url.Values{g.one(injections): {g.one(injections)}}
			return admin("GET", "/api/db/"+db+"/tables/canary/rows?"+q.Encode(), nil)
		}
		b, _ := json.Marshal(map[string]any{"rows": []any{map[string]any{g.one(injections): 1}}})
		return admin("POST", "/api/db/"+db+"/tables/canary/rows", b)
	case 4: // injection in create-table positions: every one of them invalid
		col := map[string]any{"name": g.one(injections), "type": g.one(injections), "default": g.one(injections)}
		if g.r.IntN(2) == 0 {
			col["name"] = ""
		} else {
			col["type"] = "INTEGER) ; DROP TABLE canary; --"
		}
		b, _ := json.Marshal(map[string]any{"table_name": g.one(injections), "columns": []any{col}})
		return admin("POST", "/api/db/"+db+"/tables", b)
	case 5: // hostile path segments everywhere a name goes
		p := g.one([]string{"/api/db/%s/query", "/api/db/%s/schema", "/admin/databases/%s", "/admin/databases/%s/stats", "/api/db/canary/tables/%s/rows", "/admin/databases/prune/%s", "/admin/keys/%s"})
		m := "GET"
		if strings.Contains(p, "query") || strings.Contains(p, "prune") {
			m = "POST"
		}
		return badRequest{method: m, path: fmt.Sprintf(p, g.segment()), body: g.queryBody(brokenSQL), key: g.readOnly}
	case 6: // path tricks with the admin key, on routes that would change state
		p := g.one([]string{"/admin/databases/spawn/", "/admin/databases/prune/", "/admin/databases/"})
		m := "POST"
		if strings.HasSuffix(p, "databases/") {
			m = "DELETE"
		}
		seg := g.one([]string{"..%2Fcanary", "canary%2F..", "%2e%2e", "canary%00", "canary/..", "./canary", "canary/", "/canary", "..", "%2F"})
		return admin(m, p+seg+"?force=true", nil)
	case 7: // random bytes as a body on every POST route
		p := g.one([]string{"/api/db/%s/query", "/api/db/%s/tables", "/api/db/%s/tables/canary/rows", "/api/db/%s/explain", "/admin/keys"})
		return admin("POST", strings.ReplaceAll(p, "%s", db), g.randomBytes(g.r.IntN(300)))
	case 8: // wrong types on every JSON field
		bodies := []string{`{"table_name": 5, "columns": "x"}`, `{"table_name": "t", "columns": [{"name": 5}]}`, `{"rows": {"a": 1}}`, `{"rows": [1, 2]}`, `{"rows": [[]]}`,
			`{"rows": [{"v": {"$blob": 5}}]}`, `{"rows": []}`, `null`, `[]`, `"str"`, `1e999`, `{"name": 5, "role": []}`, `{"name": "k", "role": "god"}`, `{"name": "k", "role": "readonly", "databases": [".."]}`}
		p := g.one([]string{"/api/db/%s/tables", "/api/db/%s/tables/canary/rows", "/admin/keys"})
		return admin("POST", strings.ReplaceAll(p, "%s", db), []byte(g.one(bodies)))
	case 9: // no key, a wrong key, a key with hostile bytes
		k := g.one([]string{"", "wrong", adminKey + "x", "dbf_" + strings.Repeat("A", 43), strings.Repeat("k", 5000), "Bearer " + adminKey})
		return badRequest{method: "POST", path: "/api/db/" + db + "/query", body: []byte(`{"sql": "DELETE FROM canary"}`), key: k}
	case 10: // the readonly key on admin routes and on writes
		p := g.one([]string{"/admin/databases/spawn/x", "/admin/databases/prune/canary", "/admin/databases/canary?force=true", "/admin/keys", "/api/db/canary/tables", "/api/db/canary/tables/canary/rows"})
		m := "POST"
		if strings.Contains(p, "force") {
			m = "DELETE"
		}
		return badRequest{method: m, path: p, body: []byte(`{"rows": [{"v": "x"}], "name": "k", "role": "admin", "table_name": "x", "columns": [{"name": "a"}]}`), key: g.readOnly}
	case 11: // wrong methods and unknown routes
		m := g.one([]string{"PUT", "PATCH", "DELETE", "OPTIONS", "GET", "POST"})
		p := g.one([]string{"/api/db/canary/query", "/admin/discovery", "/api/db/canary", "/api", "/admin/databases/spawn", "/api/db/canary/tables/canary", "/admin/audit/x", "/nope"})
		return admin(m, p, nil)
	case 12: // bad query strings on list routes
		q := g.one([]string{"status=" + url.QueryEscape(g.one(injections)), "limit=-5", "limit=abc", "db=..%2F", "since=" + url.QueryEscape(g.one(injections)), "key=" + url.QueryEscape(g.one(injections)), "force=maybe"})
		p := g.one([]string{"/admin/databases", "/admin/audit", "/admin/databases/nosuch"})
		m := "GET"
		if strings.HasSuffix(p, "nosuch") {
			m = "DELETE"
		}
		return admin(m, p+"?"+q, nil)
	case 13: // paths the mux would redirect (HTML 301/307) or clean
		p := g.one(muxTricks)
		return admin(g.one([]string{"GET", "POST", "DELETE", "OPTIONS"}), p, g.queryBody(brokenSQL))
	}
	// a huge body past the limit
	return admin("POST", "/api/db/"+db+"/query", g.big[:(1<<20)+1+g.r.IntN(99)])
}

// muxTricks are paths net/http's mux would answer itself with an HTML
// redirect to a cleaned path, unless the gateway refuses them first.
var muxTricks = []string{
	"//", "///", "//admin/databases", "/admin//databases", "/admin/databases//", "/api/db/canary//query",
	"/./", "/.", "/..", "/admin/databases/.", "/admin/databases/..", "/api/db/canary/query/", "/admin/databases/",
	"/health/", "/openapi.json/", "/api/db/canary/./query", "//health", "/%2F", "/api/db/canary/query/..",
}

// checkReply asserts the invariants of one answer: never a 5xx or a
// redirect; errors in the JSON error shape.
func checkReply(req badRequest, status int, header http.Header, raw []byte) error {
	if status >= 500 {
		return fmt.Errorf("%d", status)
	}
	if status >= 300 && status < 400 {
		return fmt.Errorf("redirect %d to %q", status, header.Get("Location"))
	}
	if status < 400 {
		return nil
	}
	if !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		return fmt.Errorf("%d with Content-Type %q", status, header.Get("Content-Type"))
	}
	var e struct {
		Detail string `json:"detail"`
		Error  struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Status  int    `json:"status"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Detail == "" || e.Error.Code == "" || e.Error.Message != e.Detail || e.Error.Status != status {
		return fmt.Errorf("%d without the JSON error shape: %.200q", status, raw)
	}
	return nil
}

// TestReplayBadRequests sends generated hostile requests to the real
// gateway and checks: never a 5xx or a panic, always the JSON error shape
// on a 4xx, and the canary data unchanged.
func TestReplayBadRequests(t *testing.T) {
	n := pick(10000, 200000)
	p := startInProcess(t, engine.Config{MaxDatabases: 4, QueryTimeout: 2 * time.Second})
	ctx := context.Background()
	for _, db := range []string{"canary", "scratch"} {
		if _, _, err := p.eng.Spawn(ctx, db, ""); err != nil {
			t.Fatal(err)
		}
		mustExec(t, p.eng, db, "CREATE TABLE canary(id INTEGER PRIMARY KEY, v TEXT)")
		mustExec(t, p.eng, db, "INSERT INTO canary(v) VALUES ('alpha'), ('beta'), (x'00ff'), (NULL), (3.5)")
	}
	_, roKey, err := p.eng.CreateKey(ctx, engine.NewKey{Name: "replay", Role: auth.RoleReadOnly, Databases: []string{"canary"}})
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]string{"canary": digest(t, p.eng, "canary"), "scratch": digest(t, p.eng, "scratch")}

	const workers = 4
	gen := newGenerator(20240601, roKey)
	reqs := make([]badRequest, n)
	for i := range reqs {
		reqs[i] = gen.next()
	}
	var next atomic.Int64
	var failures atomic.Int64
	statuses := make([]map[int]int, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		statuses[w] = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := *p.srv.Client()
			// a redirect is an answer to check, not to follow
			hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) || failures.Load() > 10 {
					return
				}
				req := reqs[i]
				status, header, raw, err := send(&hc, p.srv.URL, req)
				if err != nil {
					failures.Add(1)
					t.Errorf("request %d %s %s: %v", i, req.method, req.path, err)
					continue
				}
				statuses[w][status]++
				if err := checkReply(req, status, header, raw); err != nil {
					failures.Add(1)
					t.Errorf("request %d %s %s (body %.80q): %v: %.300s", i, req.method, req.path, req.body, err, raw)
				}
			}
		}()
	}
	wg.Wait()
	total := map[int]int{}
	for _, s := range statuses {
		for k, v := range s {
			total[k] += v
		}
	}
	t.Logf("%d hostile requests in %v; statuses %v", n, time.Since(start).Round(time.Millisecond), total)
	for db, want := range before {
		if got := digest(t, p.eng, db); got != want {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", db, want, got)
		}
	}
	if strings.Contains(p.logs.String(), "panic") {
		t.Fatalf("a handler panicked:\n%.2000s", p.logs.String())
	}
	if total[403] == 0 || total[400] == 0 || total[401] == 0 || total[404] == 0 || total[413] == 0 {
		t.Fatalf("the generator missed a class of refusal: %v", total)
	}
}

// rawVectors are requests only a raw connection can send: broken
// framing that Go's client never produces. Each must get a 4xx JSON
// error, never a 500.
var rawVectors = []struct{ name, path, headers, body string }{
	{"bad chunk size", "/api/db/canary/query", "Transfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n"},
	{"chunk size overflow", "/api/db/canary/query", "Transfer-Encoding: chunked\r\n", "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"},
	{"chunk without CRLF", "/api/db/canary/query", "Transfer-Encoding: chunked\r\n", "2\r\n{}XX0\r\n\r\n"},
	{"chunk extension garbage", "/api/db/canary/query", "Transfer-Encoding: chunked\r\n", "2;\x00\r\n{}\r\n0\r\n\r\n"},
	{"bad chunk in CSV import", "/api/db/scratch/import/csv?table=canary", "Transfer-Encoding: chunked\r\n", "5\r\nid,v\n\r\nqq\r\n"},
	{"bad chunk in SQL import", "/api/db/scratch/import/sql", "Transfer-Encoding: chunked\r\n", "9\r\nSELECT 1;\r\n-1\r\n"},
	{"double slash", "//", "", ""},
	{"double slash admin", "//admin/databases", "", ""},
}

// TestReplayRawHTTP sends rawVectors over raw TCP to the real gateway.
func TestReplayRawHTTP(t *testing.T) {
	p := startInProcess(t, engine.Config{})
	ctx := context.Background()
	for _, db := range []string{"canary", "scratch"} {
		if _, _, err := p.eng.Spawn(ctx, db, ""); err != nil {
			t.Fatal(err)
		}
		mustExec(t, p.eng, db, "CREATE TABLE canary(id INTEGER PRIMARY KEY, v TEXT)")
		mustExec(t, p.eng, db, "INSERT INTO canary(v) VALUES ('alpha')")
	}
	before := digest(t, p.eng, "scratch")
	for _, v := range rawVectors {
		t.Run(v.name, func(t *testing.T) {
			c, err := net.Dial("tcp", strings.TrimPrefix(p.srv.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			method := "POST"
			if v.body == "" {
				method = "GET"
			}
			fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: %s\r\nContent-Type: application/json\r\n%s\r\n%s",
				method, v.path, adminKey, v.headers, v.body)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			if err := checkReply(badRequest{}, resp.StatusCode, resp.Header, raw); err != nil {
				t.Fatal(err)
			}
		})
	}
	if after := digest(t, p.eng, "scratch"); after != before {
		t.Fatalf("scratch changed:\n%s\n%s", before, after)
	}
	if strings.Contains(p.logs.String(), "internal error") {
		t.Fatalf("a vector reached the internal-error path:\n%s", p.logs.String())
	}
}

// send performs one request with its path exactly as written.
func send(hc *http.Client, base string, r badRequest) (int, http.Header, []byte, error) {
	u, err := url.Parse(base)
	if err != nil {
		return 0, nil, nil, err
	}
	path, rawQuery, _ := strings.Cut(r.path, "?")
	u.Opaque = "//" + u.Host + path
	u.RawQuery = rawQuery
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, base, body)
	if err != nil {
		return 0, nil, nil, err
	}
	req.URL = u
	if r.key != "" {
		req.Header.Set("X-API-Key", r.key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, raw, err
}
