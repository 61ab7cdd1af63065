package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// cli runs the real binary in embedded mode on dataDir (no --url) and
// returns its stdout and stderr.
func cli(t *testing.T, bin, dataDir string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--data", dataDir)...)
	cmd.Env = append(os.Environ(), "DBFORGE_URL=", "DBFORGE_API_KEY=", "DBFORGE_CONFIG=", "XDG_CONFIG_HOME="+t.TempDir())
	var out, errb testserve.SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("dbforge %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// eventually polls the status of an admin-plane call with key until it is
// want, for at most d, and returns how long that took.
func eventually(t *testing.T, s *server, key string, want int, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		r := s.call("GET", "/admin/databases", nil, key)
		if r.status == want {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("still %d after %v, want %d: %s", r.status, d, want, r.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeSeesLocalKeyChanges: `dbforge keys create/revoke` without --url
// on the data directory of a running serve take effect there within two
// seconds, without a restart.
func TestServeSeesLocalKeyChanges(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	s := startServer(t, bin, data, "--api-key", "dbf_e2e-admin-key-0123456789")
	defer s.stop()

	key, created := cli(t, bin, data, "keys", "create", "late", "--role", "readonly")
	key = strings.TrimSpace(key)
	id := regexp.MustCompile(`key_[0-9a-f]+`).FindString(created)
	if !strings.HasPrefix(key, "dbf_") || id == "" {
		t.Fatalf("keys create printed %q / %q", key, created)
	}
	t.Logf("created key accepted after %v", eventually(t, s, key, 200, 2*time.Second))
	cli(t, bin, data, "keys", "revoke", id)
	t.Logf("revoked key refused after %v", eventually(t, s, key, 401, 2*time.Second))
}

// TestServeRestartsWithAPIKey: serve --api-key restarts on its data
// directory with the same key without rewriting the stored hash (it used to,
// and so could not start on a full disk), and with a new key, which
// replaces the old one.
func TestServeRestartsWithAPIKey(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	const first, second = "dbf_e2e-first-key-0123456789", "dbf_e2e-second-key-0123456789"
	s := startServer(t, bin, data, "--api-key", first)
	s.key = first
	s.want(201, "POST", "/admin/databases/spawn/kept", nil)
	s.stop()

	hashFile := filepath.Join(data, "admin_key.sha256")
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(hashFile, past, past); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(hashFile)
	s = startServer(t, bin, data, "--api-key", first)
	s.key = first
	if r := s.want(200, "GET", "/admin/databases", nil); len(r.list) != 1 {
		t.Fatalf("after the restart: %s", r.raw)
	}
	s.stop()
	after, _ := os.Stat(hashFile)
	if !os.SameFile(before, after) || !after.ModTime().Equal(past) {
		t.Fatal("a restart with the same key rewrote the key hash file")
	}

	s = startServer(t, bin, data, "--api-key", second)
	s.key = second
	s.want(200, "GET", "/admin/databases", nil)
	if r := s.call("GET", "/admin/databases", nil, first); r.status != 401 {
		t.Fatalf("the replaced key still works: %d", r.status)
	}
	s.stop()
	s = startServer(t, bin, data) // the stored hash is the new key's
	s.key = second
	s.want(200, "GET", "/admin/databases", nil)
	s.stop()
}

// TestServeMetricsToken: the metrics token from the environment or from
// the config file's [serve] table lets a scrape in; nothing else does.
func TestServeMetricsToken(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	const key, token = "dbf_e2e-admin-key-0123456789", "e2e-prometheus-token-0123"
	scrape := func(s *server, bearer string) int {
		req, _ := http.NewRequest("GET", s.url+"/metrics", nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[serve]\nmetrics_token = \""+token+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := startServer(t, bin, t.TempDir(), "--api-key", key, "--config", cfg)
	t.Setenv("DBFORGE_METRICS_TOKEN", token)
	fromEnv := startServer(t, bin, t.TempDir(), "--api-key", key)
	for name, s := range map[string]*server{"file": fromFile, "env": fromEnv} {
		if got := scrape(s, ""); got != 401 {
			t.Errorf("%s: anonymous scrape %d, want 401", name, got)
		}
		if got := scrape(s, token+"x"); got != 401 {
			t.Errorf("%s: wrong token %d, want 401", name, got)
		}
		if got := scrape(s, token); got != 200 {
			t.Errorf("%s: token scrape %d, want 200", name, got)
		}
		if got := scrape(s, key); got != 200 {
			t.Errorf("%s: admin key scrape %d, want 200", name, got)
		}
		s.stop()
	}
}
