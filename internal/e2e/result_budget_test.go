package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dbforge/dbforge/internal/testserve"
)

// --max-result-bytes bounds each answer of the real server; the flag beats
// DBFORGE_MAX_RESULT_BYTES, which beats [serve] max_result_bytes.
func TestServeResultBudget(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[serve]\nmax_result_bytes = 200000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const key = "dbf_e2e-budget-key-0123456789"
	status := func(env string, extra ...string) int {
		t.Helper()
		t.Setenv("DBFORGE_MAX_RESULT_BYTES", env)
		s := startServer(t, bin, t.TempDir(), append([]string{"--api-key", key, "--config", cfg}, extra...)...)
		s.key = key
		defer s.stop()
		s.want(201, "POST", "/admin/databases/spawn/c", nil)
		r := s.call("POST", "/api/db/c/query", map[string]any{"sql": "SELECT zeroblob(300000)"}, key)
		if r.status == 422 && r.obj["error"].(map[string]any)["code"] != "RESULT_TOO_LARGE" {
			t.Fatalf("422 without RESULT_TOO_LARGE: %v", r.obj)
		}
		return r.status
	}
	if got := status(""); got != 422 {
		t.Fatalf("max_result_bytes = 200000 from the file: status %d, want 422", got)
	}
	if got := status("1000000"); got != 200 {
		t.Fatalf("DBFORGE_MAX_RESULT_BYTES=1000000 beats the file: status %d, want 200", got)
	}
	if got := status("1000000", "--max-result-bytes", "100000"); got != 422 {
		t.Fatalf("--max-result-bytes beats the environment: status %d, want 422", got)
	}
}
