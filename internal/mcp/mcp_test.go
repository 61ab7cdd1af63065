package mcp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/mcp"
)

var toolNames = []string{"backup", "delete_database", "explain", "export_csv", "fork_database", "import_csv",
	"list_backups", "list_databases", "prune_database", "query", "restore", "schema", "spawn_database"}

// TestToolsListed: every tool is listed with a description, an object
// input schema that names its required arguments, and an output schema.
func TestToolsListed(t *testing.T) {
	cs, _ := memSession(t, false)
	init := cs.InitializeResult()
	if init.ServerInfo.Name != "dbforge" || init.Instructions == "" || init.Capabilities.Tools == nil || init.Capabilities.Resources == nil {
		t.Fatalf("initialize: %+v", init)
	}
	res, err := cs.ListTools(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	schemas := map[string]map[string]any{}
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
		if len(tl.Description) < 30 || tl.OutputSchema == nil || tl.Annotations == nil {
			t.Errorf("%s: description %q, output schema %v", tl.Name, tl.Description, tl.OutputSchema)
		}
		b, _ := json.Marshal(tl.InputSchema)
		var s map[string]any
		json.Unmarshal(b, &s)
		if s["type"] != "object" {
			t.Errorf("%s: input schema %s", tl.Name, b)
		}
		schemas[tl.Name] = s
	}
	slices.Sort(names)
	if !slices.Equal(names, toolNames) {
		t.Fatalf("tools %v, want %v", names, toolNames)
	}
	required := func(tool string) []any { r, _ := schemas[tool]["required"].([]any); return r }
	if r := required("delete_database"); !slices.Contains(r, any("confirm")) || !slices.Contains(r, any("name")) {
		t.Errorf("delete_database requires %v", r)
	}
	if r := required("query"); !slices.Contains(r, any("sql")) || slices.Contains(r, any("params")) || slices.Contains(r, any("limit")) {
		t.Errorf("query requires %v", r)
	}
	q, _ := json.Marshal(schemas["query"]["properties"])
	if !strings.Contains(string(q), `"type":["array","object"]`) || !strings.Contains(string(q), `"pattern":"^[A-Za-z0-9][A-Za-z0-9_.-]*$"`) {
		t.Errorf("query properties %s", q)
	}
	for _, tl := range res.Tools {
		if tl.Name == "delete_database" && (tl.Annotations.DestructiveHint == nil || !*tl.Annotations.DestructiveHint) {
			t.Error("delete_database is not marked destructive")
		}
		if tl.Name == "list_databases" && !tl.Annotations.ReadOnlyHint {
			t.Error("list_databases is not marked read-only")
		}
	}
	tpl, err := cs.ListResourceTemplates(ctxT(t), nil)
	if err != nil || len(tpl.ResourceTemplates) != 1 || tpl.ResourceTemplates[0].URITemplate != "dbforge://db/{name}/schema" {
		t.Fatalf("resource templates %+v, %v", tpl, err)
	}
}

// TestEachTool calls every tool once on an embedded backend, and a
// failing call of each kind: a tool error with the gateway's message.
func TestEachTool(t *testing.T) {
	cs, _ := memSession(t, false)
	var sp struct {
		Created bool `json:"created"`
	}
	call(t, cs, "spawn_database", map[string]any{"name": "shop"}, &sp)
	if !sp.Created {
		t.Fatal("spawn did not create")
	}
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, img BLOB)"}, nil)
	var ins struct {
		RowsAffected int64 `json:"rows_affected"`
		LastInsertID int64 `json:"last_insert_id"`
	}
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "INSERT INTO items(name, price, img) VALUES (?, ?, x'cafe')", "params": []any{"tea", 2.5}}, &ins)
	if ins.RowsAffected != 1 || ins.LastInsertID != 1 {
		t.Fatalf("insert: %+v", ins)
	}
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "INSERT INTO items(name) VALUES (:n)", "params": map[string]any{"n": "cake"}}, nil)

	var q struct {
		Columns []struct{ Name, Type string } `json:"columns"`
		Rows    [][]any                       `json:"rows"`
		Count   int                           `json:"row_count"`
		HasMore bool                          `json:"has_more"`
	}
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT id, name, price, img FROM items ORDER BY id", "limit": 1}, &q)
	if len(q.Rows) != 1 || !q.HasMore || q.Count != 1 || len(q.Columns) != 4 || q.Columns[1].Type != "TEXT" || q.Columns[2].Type != "REAL" {
		t.Fatalf("query: %+v", q)
	}
	if fmt.Sprint(q.Rows[0][:3]) != "[1 tea 2.5]" || fmt.Sprint(q.Rows[0][3]) != "map[$blob:yv4=]" {
		t.Fatalf("row %v", q.Rows[0])
	}
	callErr(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT * FROM nope"}, "SQL_ERROR (HTTP 400): SQL Error: no such table: nope")
	callErr(t, cs, "query", map[string]any{"database": "ghost", "sql": "SELECT 1"}, "DATABASE_NOT_FOUND")
	callErr(t, cs, "query", map[string]any{"database": "shop"}, "sql")

	var sc struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct {
				Name string `json:"name"`
			} `json:"columns"`
		} `json:"tables"`
	}
	call(t, cs, "schema", map[string]any{"database": "shop"}, &sc)
	if len(sc.Tables) != 1 || sc.Tables[0].Name != "items" || len(sc.Tables[0].Columns) != 4 {
		t.Fatalf("schema %+v", sc)
	}
	var plan struct {
		Plan []struct {
			Detail string `json:"detail"`
		} `json:"plan"`
	}
	call(t, cs, "explain", map[string]any{"database": "shop", "sql": "SELECT * FROM items WHERE id = ?", "params": []any{1}}, &plan)
	if len(plan.Plan) == 0 || !strings.Contains(plan.Plan[0].Detail, "items") {
		t.Fatalf("plan %+v", plan)
	}

	var imp struct {
		Rows    int64 `json:"rows_imported"`
		Created bool  `json:"created"`
	}
	call(t, cs, "import_csv", map[string]any{"database": "shop", "table": "stock", "csv": "sku,qty\nA,1\nB,2\n"}, &imp)
	if imp.Rows != 2 || !imp.Created {
		t.Fatalf("import %+v", imp)
	}
	callErr(t, cs, "import_csv", map[string]any{"database": "shop", "table": "stock", "csv": "sku,qty\nC\n", "no_create": true}, "")

	var ex struct {
		CSV       string `json:"csv"`
		Truncated bool   `json:"truncated"`
		Note      string `json:"note"`
	}
	call(t, cs, "export_csv", map[string]any{"database": "shop", "table": "stock"}, &ex)
	if ex.CSV != "sku,qty\r\nA,1\r\nB,2\r\n" || ex.Truncated {
		t.Fatalf("export table %+v", ex)
	}
	call(t, cs, "export_csv", map[string]any{"database": "shop", "sql": "SELECT name, price FROM items WHERE id > ?", "params": []any{0}}, &ex)
	if ex.CSV != "name,price\r\ntea,2.5\r\ncake,\r\n" || ex.Truncated {
		t.Fatalf("export query %+v", ex)
	}
	callErr(t, cs, "export_csv", map[string]any{"database": "shop"}, "either table or sql")
	callErr(t, cs, "export_csv", map[string]any{"database": "shop", "sql": "DELETE FROM items"}, "")
	if got := rowsOf(t, cs, "shop", "SELECT count(*) FROM items"); fmt.Sprint(got) != "[[2]]" {
		t.Fatalf("an export ran a DELETE: %v", got)
	}

	var bk struct {
		Name string `json:"name"`
	}
	call(t, cs, "backup", map[string]any{"database": "shop"}, &bk)
	var bl struct {
		Backups []struct {
			Name string `json:"name"`
		} `json:"backups"`
	}
	call(t, cs, "list_backups", map[string]any{"database": "shop"}, &bl)
	if len(bl.Backups) != 1 || bl.Backups[0].Name != bk.Name {
		t.Fatalf("backups %+v, made %q", bl, bk.Name)
	}
	call(t, cs, "query", map[string]any{"database": "shop", "sql": "DELETE FROM items"}, nil)
	call(t, cs, "restore", map[string]any{"database": "shop", "backup": bk.Name}, nil)
	if got := rowsOf(t, cs, "shop", "SELECT count(*) FROM items"); fmt.Sprint(got) != "[[2]]" {
		t.Fatalf("after restore %v", got)
	}
	callErr(t, cs, "restore", map[string]any{"database": "shop", "backup": "20200101T000000.000Z-00000000.db"}, "BACKUP_NOT_FOUND")

	var fk struct {
		DBName string `json:"db_name"`
	}
	call(t, cs, "fork_database", map[string]any{"source": "shop", "target": "shop_try"}, &fk)
	call(t, cs, "fork_database", map[string]any{"source": "shop", "target": "shop_old", "backup": bk.Name}, nil)
	callErr(t, cs, "fork_database", map[string]any{"source": "shop", "target": "shop_try"}, "DATABASE_ALREADY_EXISTS")

	var ls struct {
		Databases []struct{ Name, Status string } `json:"databases"`
	}
	call(t, cs, "prune_database", map[string]any{"name": "shop_old"}, nil)
	call(t, cs, "list_databases", nil, &ls)
	if fmt.Sprint(ls.Databases) != "[{shop running} {shop_try running}]" {
		t.Fatalf("list %v", ls.Databases)
	}
	call(t, cs, "list_databases", map[string]any{"all": true}, &ls)
	if len(ls.Databases) != 3 {
		t.Fatalf("list all %v", ls.Databases)
	}
	callErr(t, cs, "prune_database", map[string]any{"name": "shop_old"}, "not found")

	callErr(t, cs, "delete_database", map[string]any{"name": "shop_try", "confirm": "yes"}, "confirm must be exactly the database name")
	callErr(t, cs, "delete_database", map[string]any{"name": "shop_try"}, "confirm")
	call(t, cs, "delete_database", map[string]any{"name": "shop_try", "confirm": "shop_try"}, nil)
	callErr(t, cs, "query", map[string]any{"database": "shop_try", "sql": "SELECT 1"}, "DATABASE_NOT_FOUND")

	var tpl struct {
		Created bool `json:"created"`
	}
	call(t, cs, "spawn_database", map[string]any{"name": "shop2", "template": "ecommerce"}, &tpl)
	if got := rowsOf(t, cs, "shop2", "SELECT count(*) FROM customers"); !tpl.Created || fmt.Sprint(got) != "[[400]]" {
		t.Fatalf("spawn from template: %v, %v", tpl, got)
	}
	call(t, cs, "spawn_database", map[string]any{"name": "scripted", "from_sql": "CREATE TABLE a(x); INSERT INTO a VALUES (1), (2);"}, nil)
	if got := rowsOf(t, cs, "scripted", "SELECT count(*) FROM a"); fmt.Sprint(got) != "[[2]]" {
		t.Fatalf("spawn from_sql: %v", got)
	}
	callErr(t, cs, "spawn_database", map[string]any{"name": "x", "template": "nope"}, "TEMPLATE_NOT_FOUND (HTTP 404): Template \"nope\" not found; available: app, ecommerce, events, kv.")
	callErr(t, cs, "spawn_database", map[string]any{"name": "x", "from_sql": "CREATE TABLE a(x); SELECT * FROM nope;"}, "no such table: nope")
	callErr(t, cs, "query", map[string]any{"database": "x", "sql": "SELECT 1"}, "DATABASE_NOT_FOUND")
	// the schema states the name rule, so a bad name never reaches the gateway
	callErr(t, cs, "spawn_database", map[string]any{"name": "-etc"}, "does not match regular expression")
	callErr(t, cs, "fork_database", map[string]any{"source": "shop", "target": "../x"}, "does not match regular expression")
	callErr(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT 1", "limit": 0}, "minimum")
	callErr(t, cs, "query", map[string]any{"database": "shop", "sql": "SELECT ?", "params": "1"}, "params")
	// an unknown tool is the protocol's own error (the spec's -32602); the
	// session goes on
	if _, err := cs.CallTool(ctxT(t), &sdk.CallToolParams{Name: "nonexistent_tool"}); err == nil {
		t.Fatal("an unknown tool was called")
	}
	call(t, cs, "list_databases", nil, nil)
}

func TestExportCSVCap(t *testing.T) {
	cs, _ := memSession(t, false)
	call(t, cs, "spawn_database", map[string]any{"name": "d"}, nil)
	call(t, cs, "query", map[string]any{"database": "d", "sql": "CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT)"}, nil)
	call(t, cs, "query", map[string]any{"database": "d", "sql": "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 5000) INSERT INTO t SELECT i, hex(randomblob(50)) FROM s"}, nil)
	for _, args := range []map[string]any{
		{"database": "d", "table": "t", "max_bytes": 4000},
		{"database": "d", "sql": "SELECT * FROM t", "max_bytes": 4000},
	} {
		var ex struct {
			CSV       string `json:"csv"`
			Bytes     int    `json:"bytes"`
			Truncated bool   `json:"truncated"`
			Note      string `json:"note"`
		}
		call(t, cs, "export_csv", args, &ex)
		if !ex.Truncated || !strings.Contains(ex.Note, "Truncated") || ex.Bytes > 4000 || ex.Bytes != len(ex.CSV) || ex.Bytes < 3000 {
			t.Fatalf("%v: truncated %v, %d bytes, note %q", args, ex.Truncated, ex.Bytes, ex.Note)
		}
		if !strings.HasPrefix(ex.CSV, "id,pad\r\n1,") || !strings.HasSuffix(ex.CSV, "\n") {
			t.Fatalf("%v: not whole rows: %q … %q", args, ex.CSV[:20], ex.CSV[len(ex.CSV)-20:])
		}
		for _, line := range strings.Split(strings.TrimSuffix(ex.CSV, "\r\n"), "\r\n")[1:] {
			if len(line) < 100 {
				t.Fatalf("%v: a cut row %q", args, line)
			}
		}
	}
}

// TestReadOnlyServer: the CLI's --read-only refuses every changing tool and
// runs statements on connections that cannot write.
func TestReadOnlyServer(t *testing.T) {
	cs, c := memSession(t, true)
	if _, err := c.Spawn(ctxT(t), "d"); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string]map[string]any{
		"spawn_database":  {"name": "e"},
		"prune_database":  {"name": "d"},
		"delete_database": {"name": "d", "confirm": "d"},
		"fork_database":   {"source": "d", "target": "e"},
		"import_csv":      {"database": "d", "table": "t", "csv": "a\n1\n"},
		"restore":         {"database": "d", "backup": "x"},
	} {
		callErr(t, cs, name, args, "read-only mode")
	}
	callErr(t, cs, "query", map[string]any{"database": "d", "sql": "CREATE TABLE t(x)"}, "FORBIDDEN")
	if got := rowsOf(t, cs, "d", "SELECT count(*) FROM sqlite_master"); fmt.Sprint(got) != "[[0]]" {
		t.Fatalf("read-only server wrote: %v", got)
	}
}

// TestHTTPNeedsKey: /mcp refuses a request without a valid key with the
// gateway's 401 before MCP runs.
func TestHTTPNeedsKey(t *testing.T) {
	s := serve(t, engine.Config{})
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`)
	for _, key := range []string{"", "dbf_not-a-real-key-000000000000"} {
		req, _ := http.NewRequest("POST", s.url+"/mcp", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 401 || e.Error.Code != "UNAUTHORIZED" || resp.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("key %q: %d %+v", key, resp.StatusCode, e)
		}
	}
	// the admin key gets in, as Bearer too
	tr := &sdk.StreamableClientTransport{Endpoint: s.url + "/mcp", HTTPClient: &http.Client{Transport: keyTransport{key: adminKey, header: "Authorization"}}, DisableStandaloneSSE: true}
	cs := connect(t, tr)
	call(t, cs, "list_databases", nil, nil)
	// behind a reverse proxy on the same host: another Host header, same key
	req, _ := http.NewRequest("POST", s.url+"/mcp", bytes.NewReader(body))
	req.Host = "db.example.com"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("X-API-Key", adminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("proxied initialize: %d", resp.StatusCode)
	}
	// the rest of the gateway is served beside /mcp, unchanged
	if _, err := s.admin.Spawn(ctxT(t), "x"); err != nil {
		t.Fatal(err)
	}
}

// TestOpenGatewayKeepsRebindingProtection: without keys, /mcp refuses a
// request that reached loopback under a foreign Host (DNS rebinding).
func TestOpenGatewayKeepsRebindingProtection(t *testing.T) {
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	h, closeMCP := mcp.Mount(gateway.New(eng, gateway.Options{}), "test", nil)
	srv := httptest.NewServer(h)
	defer func() { srv.Close(); closeMCP() }()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`
	for host, want := range map[string]int{"evil.example.com": 403, "": 200} {
		req, _ := http.NewRequest("POST", srv.URL+"/mcp", strings.NewReader(body))
		if host != "" {
			req.Host = host
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestPanicIsAToolError: a panicking call becomes a tool error and the
// session goes on.
func TestPanicIsAToolError(t *testing.T) {
	var logs bytes.Buffer
	srv := mcp.New(mcp.Options{Client: func(http.Header) *client.Client { return nil }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctxT(t), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs := connect(t, ct)
	for range 2 {
		callErr(t, cs, "list_databases", nil, "internal error in tool list_databases")
	}
	if !strings.Contains(logs.String(), "mcp tool panicked") {
		t.Fatalf("the panic was not logged: %s", logs.String())
	}
}

// The tools encode values as the rest of the project does: export_csv of
// a query writes what the gateway's CSV export writes for the same rows
// (a REAL keeps its fraction, NULL and "" differ, BLOBs base64), and the
// query tool writes a BLOB as the wire does ({"$blob": …}, empty ones too).
func TestToolValuesMatchTheGatewaysEncoding(t *testing.T) {
	cs, c := memSession(t, false)
	if _, err := c.Spawn(ctxT(t), "v"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE TABLE v (r REAL, s TEXT, b BLOB)",
		"INSERT INTO v VALUES (2.0, NULL, x'00ff'), (1e20, '', NULL), (-0.5, 'a,\"b\"', x'')",
	} {
		if _, err := c.Query(ctxT(t), "v", queryReq(sql)); err != nil {
			t.Fatal(err)
		}
	}
	var table strings.Builder
	if _, err := c.ExportCSV(ctxT(t), "v", "v", &table); err != nil {
		t.Fatal(err)
	}
	var ex struct {
		CSV string `json:"csv"`
	}
	call(t, cs, "export_csv", map[string]any{"database": "v", "sql": "SELECT * FROM v"}, &ex)
	if ex.CSV != table.String() {
		t.Fatalf("export_csv of the query:\n%q\nthe gateway's CSV export:\n%q", ex.CSV, table.String())
	}
	if !strings.Contains(ex.CSV, "2.0,,AP8=\r\n") || !strings.Contains(ex.CSV, `,"",`) {
		t.Fatalf("REAL, NULL and \"\" not kept apart: %q", ex.CSV)
	}

	res := rawCall(t, cs, "query", map[string]any{"database": "v", "sql": "SELECT s, b FROM v ORDER BY rowid"})
	if res.IsError {
		t.Fatal(text(res))
	}
	if got := text(res); !strings.Contains(got, `"rows":[[null,{"$blob":"AP8="}],["",null],["a,\"b\"",{"$blob":""}]]`) {
		t.Fatalf("query rows are not the wire's values: %s", got)
	}
}
