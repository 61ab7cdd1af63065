package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/pgtest"
)

// Embedded mode reads the PostgreSQL server as serve does: with
// DBFORGE_POSTGRES (or [serve] postgres) a postgres database is spawned,
// used and listed as running; without, it is listed as stopped and a call
// on it fails with one line saying what it needs.
func TestEmbeddedModeUsesPostgres(t *testing.T) {
	dir := isolateEnv(t)
	cl := pgtest.Start(t)
	data := filepath.Join(dir, "db")

	t.Setenv(envPostgres, cl.AdminDSN())
	mustRun(t, "--data", data, "db", "spawn", "shop", "--backend", "postgres")
	mustRun(t, "--data", data, "query", "shop", "CREATE TABLE t (v text)")
	mustRun(t, "--data", data, "query", "shop", "INSERT INTO t VALUES ('kept')")
	if out := mustRun(t, "--data", data, "db", "list"); listed(t, out)["shop"] != "postgres running" {
		t.Fatalf("db list with DBFORGE_POSTGRES:\n%s", out)
	}

	t.Setenv(envPostgres, "")
	if out := mustRun(t, "--data", data, "db", "list", "--all"); listed(t, out)["shop"] != "postgres stopped" {
		t.Fatalf("db list without postgres:\n%s", out)
	}
	res := run(t, "", "--data", data, "query", "shop", "SELECT v FROM t")
	assertError(t, res, 1, "DBFORGE_POSTGRES")
	if !strings.Contains(res.stderr, "stays stopped") {
		t.Fatalf("error does not say the database is stopped: %q", res.stderr)
	}

	// [serve] postgres of the config file, as serve reads it
	cfgDir := filepath.Join(dir, "config", "dbforge")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("[serve]\npostgres = \""+cl.AdminDSN()+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "--data", data, "query", "shop", "SELECT v FROM t"); !strings.Contains(out, "kept") {
		t.Fatalf("query with [serve] postgres:\n%s", out)
	}
}

// listed reads db list's JSON into "backend status" by name.
func listed(t *testing.T, out string) map[string]string {
	t.Helper()
	var dbs []struct{ Name, Backend, Status string }
	if err := json.Unmarshal([]byte(out), &dbs); err != nil {
		t.Fatalf("db list output %q: %v", out, err)
	}
	m := map[string]string{}
	for _, d := range dbs {
		m[d.Name] = d.Backend + " " + d.Status
	}
	return m
}
