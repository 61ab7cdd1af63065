package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/testserve"
)

// TestMCPWithTheBinary drives the real binary with the MCP SDK's client:
// `dbforge mcp` over stdio in embedded mode and against a gateway with a
// read-only key, and `dbforge serve`'s /mcp over HTTP with a scoped key.
func TestMCPWithTheBinary(t *testing.T) {
	tmp := t.TempDir()
	bin := testserve.BuildBinary(t, tmp)
	env := isolatedEnv(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	connect := func(tr sdk.Transport) *sdk.ClientSession {
		t.Helper()
		cs, err := sdk.NewClient(&sdk.Implementation{Name: "e2e", Version: "1"}, nil).Connect(ctx, tr, nil)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		t.Cleanup(func() { cs.Close() })
		return cs
	}
	call := func(cs *sdk.ClientSession, name string, args map[string]any) (string, bool) {
		t.Helper()
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
		if err != nil {
			t.Fatalf("%s: protocol error %v", name, err)
		}
		if res.IsError {
			return res.Content[0].(*sdk.TextContent).Text, false
		}
		b, _ := json.Marshal(res.StructuredContent)
		return string(b), true
	}
	mustCall := func(cs *sdk.ClientSession, name string, args map[string]any) string {
		t.Helper()
		out, ok := call(cs, name, args)
		if !ok {
			t.Fatalf("%s(%v): %s", name, args, out)
		}
		return out
	}
	flow := func(cs *sdk.ClientSession, db, fork string) {
		t.Helper()
		mustCall(cs, "spawn_database", map[string]any{"name": db})
		mustCall(cs, "query", map[string]any{"database": db, "sql": "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER)"})
		mustCall(cs, "query", map[string]any{"database": db, "sql": "INSERT INTO kv VALUES (?, ?)", "params": []any{"a", 1}})
		mustCall(cs, "fork_database", map[string]any{"source": db, "target": fork})
		mustCall(cs, "query", map[string]any{"database": fork, "sql": "UPDATE kv SET v = ? WHERE k = ?", "params": []any{99, "a"}})
		if out := mustCall(cs, "query", map[string]any{"database": db, "sql": "SELECT v FROM kv"}); !strings.Contains(out, `"rows":[[1]]`) {
			t.Fatalf("original after the fork's change: %s", out)
		}
		if out := mustCall(cs, "query", map[string]any{"database": fork, "sql": "SELECT v FROM kv"}); !strings.Contains(out, `"rows":[[99]]`) {
			t.Fatalf("fork: %s", out)
		}
	}

	// stdio, embedded on a data directory
	data := filepath.Join(tmp, "embedded")
	cmd := exec.Command(bin, "mcp", "--data", data)
	cmd.Env = env
	stdio := connect(&sdk.CommandTransport{Command: cmd})
	tools, err := stdio.ListTools(ctx, nil)
	if err != nil || len(tools.Tools) < 13 {
		t.Fatalf("tools over stdio: %v, %v", tools, err)
	}
	flow(stdio, "shop", "shop_try")

	// `dbforge serve` with /mcp
	const admin = "dbf_e2e-mcp-admin-key-0123456789"
	url := startServe(t, bin, env, filepath.Join(tmp, "served"), admin)
	ac := client.New(url, client.WithAPIKey(admin))
	scoped, err := ac.CreateKey(ctx, client.NewKey{Name: "agent", Role: "admin", Databases: []string{"shop", "shop_try"}})
	if err != nil {
		t.Fatal(err)
	}
	reader, err := ac.CreateKey(ctx, client.NewKey{Name: "reader", Role: "readonly"})
	if err != nil {
		t.Fatal(err)
	}
	httpMCP := connect(&sdk.StreamableClientTransport{Endpoint: url + "/mcp", DisableStandaloneSSE: true,
		HTTPClient: &http.Client{Transport: withKey{scoped.Key}}})
	flow(httpMCP, "shop", "shop_try")
	if out, ok := call(httpMCP, "spawn_database", map[string]any{"name": "other"}); ok || !strings.Contains(out, "FORBIDDEN") {
		t.Fatalf("a scoped key spawned outside its scope: %s", out)
	}
	resp, err := http.Post(url+"/mcp", "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/mcp without a key: %d", resp.StatusCode)
	}

	// stdio against the gateway with a read-only key
	cmd = exec.Command(bin, "mcp", "--url", url, "--api-key", reader.Key)
	cmd.Env = env
	remote := connect(&sdk.CommandTransport{Command: cmd})
	if out := mustCall(remote, "query", map[string]any{"database": "shop_try", "sql": "SELECT v FROM kv"}); !strings.Contains(out, `"rows":[[99]]`) {
		t.Fatalf("reader over stdio: %s", out)
	}
	if out, ok := call(remote, "query", map[string]any{"database": "shop", "sql": "DELETE FROM kv"}); ok || !strings.Contains(out, "FORBIDDEN") {
		t.Fatalf("a read-only key deleted rows: %s", out)
	}
	if out, ok := call(remote, "delete_database", map[string]any{"name": "shop", "confirm": "shop"}); ok || !strings.Contains(out, "FORBIDDEN") {
		t.Fatalf("a read-only key deleted a database: %s", out)
	}
	if r, err := ac.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT count(*) FROM kv"}); err != nil || fmt.Sprint(r.Rows) != "[[1]]" {
		t.Fatalf("shop after the reader: %v %v", r, err)
	}
}

// withKey sends every request with an API key.
type withKey struct{ key string }

func (k withKey) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-API-Key", k.key)
	return http.DefaultTransport.RoundTrip(r)
}
