package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve --postgres (or DBFORGE_POSTGRES, or [serve] postgres) must reach
// the server at start: one readable line and a non-zero exit otherwise,
// without the DSN's password.
func TestServePostgresUnreachable(t *testing.T) {
	dir := isolateEnv(t)
	data := filepath.Join(dir, "data")
	dsn := "postgres://admin:hunter2-secret@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=5"
	res := run(t, "", "serve", "--data", data, "--no-auth", "--postgres", dsn)
	assertError(t, res, 1, "postgres: cannot reach the server")
	assertNoSecret(t, res, "hunter2-secret")
	t.Setenv("DBFORGE_POSTGRES", dsn)
	res = run(t, "", "serve", "--data", data, "--no-auth")
	assertError(t, res, 1, "postgres: cannot reach the server")
	assertNoSecret(t, res, "hunter2-secret")
	if _, err := os.Stat(filepath.Join(data, "postgres.secret")); err != nil {
		t.Fatalf("the role password secret was not created: %v", err)
	}
}

func assertNoSecret(t *testing.T, r result, secret string) {
	t.Helper()
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Fatalf("output shows the password: %q", r.stderr)
	}
}
