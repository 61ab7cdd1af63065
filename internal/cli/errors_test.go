package cli

import (
	"net"
	"net/http/httptest"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
)

func TestOperationErrors(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir + "/db"}
	mustRun(t, append(data, "db", "spawn", "shop")...)
	mustRun(t, append(data, "db", "spawn", "old")...)
	mustRun(t, append(data, "db", "prune", "old")...)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown db", []string{"query", "nope", "SELECT 1"}, `error: database "nope" not found`},
		{"bad SQL", []string{"query", "shop", "SELECT * FROM t"}, "error: SQL error: no such table: t"},
		{"bad name", []string{"db", "spawn", "bad/name"}, `error: invalid database name "bad/name"`},
		{"stopped db", []string{"query", "old", "SELECT 1"}, `database "old" is stopped`},
		{"prune twice", []string{"db", "prune", "old"}, `database "old" not found or already pruned`},
		{"info unknown", []string{"db", "info", "nope"}, `database "nope" not found`},
		{"unknown table", []string{"schema", "shop", "missing"}, "no such table: missing"},
		{"missing SQL file", []string{"query", "shop", "-f", dir + "/none.sql"}, "reading SQL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, run(t, "", append(data, tc.args...)...), exitFailure, tc.want)
		})
	}
}

func TestReadOnlyRefusesLifecycle(t *testing.T) {
	dir := isolateEnv(t)
	r := run(t, "", "--data", dir, "--read-only", "db", "spawn", "x")
	assertError(t, r, exitFailure, `read-only mode: refusing to spawn "x"`)
}

func TestUsageErrors(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir + "/db"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"bad flag", []string{"query", "--bogus"}, "unknown flag: --bogus"},
		{"missing args", []string{"query"}, "usage: dbforge query DB"},
		{"bad format", []string{"query", "x", "SELECT 1", "--format", "xml"}, `--format must be one of table, json, csv, markdown, not "xml"`},
		{"delete without force", []string{"db", "delete", "x"}, "add --force"},
		{"mixed params", []string{"query", "x", "SELECT ?", "-p", "1", "-p", "a=2"}, "not both"},
		{"empty SQL on stdin", []string{"query", "x"}, "no SQL given"},
		{"SQL twice", []string{"query", "x", "SELECT 1", "-f", "a.sql"}, "not both"},
		{"unknown command", []string{"nosuch"}, `unknown command "nosuch"`},
		{"bad theme flag", []string{"--theme", "neon", "db", "list"}, `unknown theme "neon"`},
		{"bad url flag", []string{"--url", "ftp://x", "db", "list"}, "invalid URL"},
		{"negative limit", []string{"query", "x", "SELECT 1", "--limit", "-1"}, "must not be negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, run(t, "", append(data, tc.args...)...), exitUsage, tc.want)
		})
	}
}

func TestConfigFileErrorIsOneLine(t *testing.T) {
	dir := isolateEnv(t)
	path := dir + "/bad.toml"
	writeFile(t, path, "url = \"http://x\"\nrow_limit = \"lots\"\n")
	r := run(t, "", "--config", path, "db", "list")
	assertError(t, r, exitFailure, path+", line 2")
}

func TestUnreachableGateway(t *testing.T) {
	isolateEnv(t)
	// A port that was just free and is closed again refuses connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	r := run(t, "", "--url", url, "db", "list")
	assertError(t, r, exitFailure, "error: gateway unreachable at "+url+": connection refused")
}

// keyedGateway serves a real gateway over loopback that requires key.
func keyedGateway(t *testing.T, key string) string {
	t.Helper()
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	srv := httptest.NewServer(gateway.New(eng, gateway.Options{Version: "test", AdminKeyHash: auth.Hash(key)}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestWrongAndMissingKey(t *testing.T) {
	isolateEnv(t)
	const key = "dbf_the-right-key-0123456789"
	url := keyedGateway(t, key)
	assertError(t, run(t, "", "--url", url, "--api-key", "dbf_a-wrong-key-0123456789", "db", "list"), exitFailure, "error: invalid API key\n")
	assertError(t, run(t, "", "--url", url, "db", "list"), exitFailure, "error: missing API key")

	t.Setenv("DBFORGE_API_KEY", key)
	if out := mustRun(t, "--url", url, "db", "list"); out != "[]\n" {
		t.Errorf("db list with the key from the environment: %q", out)
	}
}

func TestReadOnlyRefusesWritingSQL(t *testing.T) {
	dir := isolateEnv(t)
	mustRun(t, "--data", dir, "db", "spawn", "ro")
	mustRun(t, "--data", dir, "query", "ro", "CREATE TABLE t(x)")
	r := run(t, "", "--data", dir, "--read-only", "query", "ro", "INSERT INTO t VALUES (1)")
	assertError(t, r, exitFailure, "read-only")
	out := mustRun(t, "--data", dir, "--read-only", "query", "ro", "SELECT count(*) AS n FROM t", "--format", "csv")
	if out != "n\r\n0\r\n" {
		t.Fatalf("read in read-only mode = %q; the insert must not have landed", out)
	}
}
