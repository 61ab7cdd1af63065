package cli

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/testserve"
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

// Every change internal/app lists is refused in read-only mode, in app's
// words, before anything is sent: the database stays.
func TestReadOnlyRefusesLifecycle(t *testing.T) {
	dir := isolateEnv(t)
	mustRun(t, "--data", dir, "db", "spawn", "keep")
	for args, want := range map[string]string{
		"db spawn x":                  `read-only mode: refusing to spawn "x"`,
		"db prune keep":               `read-only mode: refusing to prune "keep"`,
		"db delete keep --force":      `read-only mode: refusing to delete "keep"`,
		"db fork keep copy":           `read-only mode: refusing to fork "keep"`,
		"restore keep x --force":      `read-only mode: refusing to restore "keep"`,
		"import keep - --format sql":  `read-only mode: refusing to import into "keep"`,
		"keys create ci --role admin": `read-only mode: refusing to create key "ci"`,
		"keys revoke k123":            `read-only mode: refusing to revoke key "k123"`,
	} {
		r := run(t, "", append([]string{"--data", dir, "--read-only"}, strings.Fields(args)...)...)
		assertError(t, r, exitFailure, want)
	}
	if got := mustRun(t, "--data", dir, "db", "list", "--format", "csv"); !strings.Contains(got, "keep") || strings.Contains(got, "copy") {
		t.Errorf("a read-only change landed:\n%s", got)
	}
	if got := mustRun(t, "--data", dir, "keys", "list", "--format", "csv"); strings.Contains(got, ",ci,") {
		t.Errorf("a read-only session created a key:\n%s", got)
	}
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
	url := "http://" + testserve.FreeAddr(t)
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
