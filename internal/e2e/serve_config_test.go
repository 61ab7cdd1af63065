package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dbforge/dbforge/internal/testserve"
)

// The [serve] table of the config file sets the gateway's limits; a flag
// still beats it.
func TestServeLimitsFromConfigFile(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[serve]\nmax_rows = 2\nquery_timeout = \"5s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const key = "dbf_e2e-config-key-0123456789"
	rows := func(extra ...string) (int, any) {
		t.Helper()
		s := startServer(t, bin, t.TempDir(), append([]string{"--api-key", key, "--config", cfg}, extra...)...)
		s.key = key
		defer s.stop()
		s.want(201, "POST", "/admin/databases/spawn/c", nil)
		r := s.want(200, "POST", "/api/db/c/query", map[string]any{"sql": "VALUES (1),(2),(3),(4),(5)", "limit": 100})
		data, _ := r.obj["data"].([]any)
		return len(data), r.obj["has_more"]
	}
	if n, more := rows(); n != 2 || more != true {
		t.Fatalf("max_rows = 2 from the file: got %d rows, has_more %v", n, more)
	}
	if n, more := rows("--max-rows", "3"); n != 3 || more != true {
		t.Fatalf("--max-rows 3 beats the file: got %d rows, has_more %v", n, more)
	}
}
