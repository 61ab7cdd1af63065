package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
)

// completions runs the shell's hidden __complete request and returns the
// candidates (cobra prints them one a line, then ":<directive>").
func completions(t *testing.T, args ...string) []string {
	t.Helper()
	r := run(t, "", append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %v: code %d, stderr %q", args, r.code, r.stderr)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if strings.HasPrefix(line, ":") || line == "" {
			continue
		}
		name, _, _ := strings.Cut(line, "\t")
		out = append(out, name)
	}
	return out
}

func wantCompletions(t *testing.T, want []string, args ...string) {
	t.Helper()
	got := completions(t, args...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("__complete %s = %q, want %q", strings.Join(args, " "), got, want)
	}
}

func TestCompletionsFromDataDir(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir + "/db"}
	mustRun(t, append(data, "db", "spawn", "alpha")...)
	mustRun(t, append(data, "db", "spawn", "beta")...)
	mustRun(t, append(data, "db", "spawn", "gone")...)
	mustRun(t, append(data, "db", "prune", "gone")...)
	mustRun(t, append(data, "query", "alpha", "CREATE TABLE orders (id INTEGER)")...)
	mustRun(t, append(data, "query", "alpha", "CREATE VIEW big_orders AS SELECT * FROM orders")...)
	var made struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, append(data, "backup", "alpha")...)), &made); err != nil || made.Name == "" {
		t.Fatalf("backup: %v", err)
	}

	wantCompletions(t, []string{"alpha", "beta", "gone"}, append(data, "query", "")...)
	wantCompletions(t, []string{"alpha"}, append(data, "schema", "al")...)
	wantCompletions(t, []string{"big_orders", "orders"}, append(data, "schema", "alpha", "")...)
	wantCompletions(t, []string{"big_orders", "orders"}, append(data, "export", "alpha", "--table", "")...)
	wantCompletions(t, []string{"orders"}, append(data, "import", "alpha", "x.csv", "--table", "or")...)
	wantCompletions(t, []string{made.Name}, append(data, "restore", "alpha", "")...)
	wantCompletions(t, []string{"alpha", "beta"}, append(data, "db", "prune", "")...)
	wantCompletions(t, []string{"gone"}, append(data, "db", "spawn", "")...)
	wantCompletions(t, []string{"table", "json", "csv", "markdown"}, append(data, "query", "alpha", "SELECT 1", "--format", "")...)
	wantCompletions(t, []string{"csv", "json", "ndjson", "sql"}, append(data, "export", "alpha", "--format", "")...)
	wantCompletions(t, []string{"dark", "light", "high-contrast"}, "--theme", "")
	wantCompletions(t, []string{"sqlite", "postgres"}, append(data, "db", "spawn", "new", "--backend", "")...)
	wantCompletions(t, nil, append(data, "query", "alpha", "")...) // the SQL: nothing to offer
	// nothing typed yet completes nothing and creates nothing
	missing := filepath.Join(dir, "nowhere")
	wantCompletions(t, nil, "--data", missing, "query", "")
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("completion created a data directory")
	}
}

// Against a gateway: database names and key ids through the same client,
// and a wrong key or a dead gateway offers nothing, without an error.
func TestCompletionsFromGateway(t *testing.T) {
	isolateEnv(t)
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	const key = "dbf_completion-key-0123456789"
	srv := httptest.NewServer(gateway.New(eng, gateway.Options{Version: "test", AdminKeyHash: auth.Hash(key)}))
	t.Cleanup(srv.Close)
	remote := []string{"--url", srv.URL, "--api-key", key}
	mustRun(t, append(remote, "db", "spawn", "shop")...)
	run(t, "", append(remote, "keys", "create", "reporting", "--role", "readonly")...)
	var keys []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, append(remote, "keys", "list", "-o", "json")...)), &keys); err != nil || len(keys) == 0 {
		t.Fatalf("keys list: %v", err)
	}
	created := keys[len(keys)-1]
	wantCompletions(t, []string{"shop"}, append(remote, "query", "")...)
	if got := completions(t, append(remote, "keys", "revoke", "")...); !slices.Contains(got, created.ID) {
		t.Errorf("key ids %q lack %s", got, created.ID)
	}
	wantCompletions(t, []string{"admin", "readwrite", "readonly"}, append(remote, "keys", "create", "x", "--role", "")...)
	wantCompletions(t, nil, "--url", srv.URL, "--api-key", "dbf_wrong-key-0123456789", "query", "")
	wantCompletions(t, nil, "--url", "http://127.0.0.1:1", "query", "")
}
