package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/testserve"
)

// TestSpawnBackendFlag runs the real binary against a real `dbforge serve`
// without PostgreSQL and in embedded mode: --backend sqlite spawns, db list
// shows each database's backend, postgres is the gateway's refusal naming
// what it has (and creates nothing), and a value no gateway knows is a usage
// error before any request.
func TestSpawnBackendFlag(t *testing.T) {
	tmp := t.TempDir()
	bin := testserve.BuildBinary(t, tmp)
	env := isolatedEnv(tmp)
	const key = "dbf_backend-key-0123456789abcdef"
	url := startServe(t, bin, env, filepath.Join(tmp, "served"), key)
	modes := map[string][]string{
		"remote":   {"--url", url, "--api-key", key},
		"embedded": {"--data", filepath.Join(tmp, "embedded")},
	}
	for mode, conn := range modes {
		t.Run(mode, func(t *testing.T) {
			cli := func(args ...string) string { return runBin(t, bin, env, append(conn, args...)...) }

			if out := cli("db", "spawn", "lite", "--backend", "sqlite", "-o", "csv"); out != "exit 0\nstdout:\ndb_name,message\r\nlite,Database instance spawned successfully.\r\nstderr:\n" {
				t.Errorf("spawn --backend sqlite: %q", out)
			}
			if out := cli("db", "spawn", "plain", "-o", "csv"); !strings.HasPrefix(out, "exit 0\n") {
				t.Errorf("spawn without --backend: %q", out)
			}
			// the gateway's 400, in its words: it names what it has
			if out := cli("db", "spawn", "pg", "--backend", "postgres"); !strings.HasPrefix(out, "exit 1\nstdout:\nstderr:\nerror: ") ||
				strings.Count(out, "\n") != 4 || !strings.Contains(out, `"postgres"`) || !strings.Contains(out, `"sqlite"`) {
				t.Errorf("spawn --backend postgres without a PostgreSQL server: %q", out)
			}
			for _, bad := range []string{"mysql", "SQLite", "postgres ", "\x1b[31mred"} {
				out := cli("db", "spawn", "x", "--backend", bad)
				if !strings.HasPrefix(out, "exit 2\nstdout:\nstderr:\nerror: unknown backend ") ||
					!strings.HasSuffix(out, " for --backend: use sqlite or postgres\n") || strings.ContainsRune(out, 0x1b) {
					t.Errorf("spawn --backend %q: %q", bad, out)
				}
			}

			table := cli("db", "list", "--all", "-o", "table")
			lines := strings.Split(table, "\n")
			if len(lines) < 6 || !strings.Contains(lines[2], "│ backend │") {
				t.Fatalf("db list table: %q", table)
			}
			rows := 0
			for _, l := range lines[4:] {
				if strings.HasPrefix(l, " lite ") || strings.HasPrefix(l, " plain ") {
					rows++
					if !strings.Contains(l, "│ sqlite ") {
						t.Errorf("db list row without its backend: %q", l)
					}
				}
			}
			if rows != 2 || strings.Contains(table, " pg ") || strings.Contains(table, " x ") {
				t.Errorf("db list after refused spawns: %q", table)
			}

			var list []map[string]any
			out := cli("db", "list", "-o", "json")
			body := strings.TrimSuffix(strings.TrimPrefix(out, "exit 0\nstdout:\n"), "stderr:\n")
			if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 2 {
				t.Fatalf("db list json: %q (%v)", out, err)
			}
			for _, d := range list {
				if d["backend"] != "sqlite" {
					t.Errorf("json entry without backend sqlite: %v", d)
				}
			}
		})
	}

	// nothing listens there: a request would be an unreachable gateway
	// (exit 1), so exit 2 shows the value was refused before any call
	dead := []string{"--url", "http://127.0.0.1:1", "--api-key", key}
	if out := runBin(t, bin, env, append(dead, "db", "spawn", "x", "--backend", "mysql")...); out != "exit 2\nstdout:\nstderr:\nerror: unknown backend \"mysql\" for --backend: use sqlite or postgres\n" {
		t.Errorf("unknown backend against no gateway: %q", out)
	}
}
