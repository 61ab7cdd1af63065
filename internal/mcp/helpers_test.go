package mcp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/mcp"
)

const adminKey = "dbf_mcp-test-admin-key-0123456789"

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// served is `dbforge serve`'s handler (the gateway with /mcp) over real
// loopback HTTP, protected by adminKey.
type served struct {
	url   string
	admin *client.Client
}

func serve(t *testing.T, cfg engine.Config) *served {
	t.Helper()
	cfg.DataDir = t.TempDir()
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	gw := gateway.New(eng, gateway.Options{AdminKeyHash: auth.Hash(adminKey)})
	h, closeMCP := mcp.Mount(gw, "test", nil)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); closeMCP() })
	return &served{url: srv.URL, admin: client.New(srv.URL, client.WithAPIKey(adminKey))}
}

// newKey creates an API key through the gateway.
func (s *served) newKey(t *testing.T, name, role string, dbs ...string) string {
	t.Helper()
	k, err := s.admin.CreateKey(ctxT(t), client.NewKey{Name: name, Role: role, Databases: dbs})
	if err != nil {
		t.Fatal(err)
	}
	return k.Key
}

// keyTransport sends every request with an API key.
type keyTransport struct {
	key    string
	header string
}

func (k keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if k.header == "Authorization" {
		r.Header.Set("Authorization", "Bearer "+k.key)
	} else {
		r.Header.Set("X-API-Key", k.key)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// httpSession connects the SDK's client to /mcp with key.
func (s *served) httpSession(t *testing.T, key string) *sdk.ClientSession {
	t.Helper()
	tr := &sdk.StreamableClientTransport{Endpoint: s.url + mcp.Path, HTTPClient: &http.Client{Transport: keyTransport{key: key}}, DisableStandaloneSSE: true}
	return connect(t, tr)
}

func connect(t *testing.T, tr sdk.Transport) *sdk.ClientSession {
	t.Helper()
	c := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := c.Connect(ctxT(t), tr, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// memSession is the server on an embedded backend, reached through the
// SDK's in-memory transport.
func memSession(t *testing.T, readOnly bool) (*sdk.ClientSession, *client.Client) {
	t.Helper()
	b, err := embedded.Open(t.TempDir(), embedded.Options{Engine: engine.Config{BackupRetention: 3}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	c := client.New(embedded.BaseURL, client.WithTransport(b.Transport()), client.WithRetries(0))
	srv := mcp.New(mcp.Options{Version: "test", Client: func(http.Header) *client.Client { return c }, ReadOnly: readOnly})
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctxT(t), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	return connect(t, ct), c
}

// call invokes a tool, which must succeed, and decodes its structured
// result into out (when not nil).
func call(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any, out any) {
	t.Helper()
	res := rawCall(t, cs, name, args)
	if res.IsError {
		t.Fatalf("%s(%v): tool error %s", name, args, text(res))
	}
	if out != nil {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", name, b, err)
		}
	}
}

// callErr invokes a tool that must fail with a tool error (never a
// protocol error) whose text contains want.
func callErr(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any, want string) {
	t.Helper()
	res := rawCall(t, cs, name, args)
	if !res.IsError {
		t.Fatalf("%s(%v) succeeded, want a tool error containing %q: %s", name, args, want, text(res))
	}
	if !strings.Contains(text(res), want) {
		t.Fatalf("%s(%v) error %q, want it to contain %q", name, args, text(res), want)
	}
}

func rawCall(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any) *sdk.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(ctxT(t), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	return res
}

func text(res *sdk.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// rowsOf runs a query tool call and returns its rows.
func rowsOf(t *testing.T, cs *sdk.ClientSession, db, sql string, params ...any) [][]any {
	t.Helper()
	args := map[string]any{"database": db, "sql": sql}
	if params != nil {
		args["params"] = params
	}
	var out struct {
		Rows [][]any `json:"rows"`
	}
	call(t, cs, "query", args, &out)
	return out.Rows
}

func queryReq(sql string) client.QueryRequest { return client.QueryRequest{SQL: sql} }
