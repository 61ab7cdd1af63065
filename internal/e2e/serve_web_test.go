package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// webRequest sends a request as a browser page (or a rebinding attack)
// would, and returns the status and the CORS origin of the answer.
func webRequest(t *testing.T, s *server, method, path, host string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, nil)
	if host != "" {
		req.Host = host
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin")
}

func preflightHeaders(origin string) map[string]string {
	return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key, content-type"}
}

// TestServeCORSAndOpenMode runs the real binary: with keys, MK1's
// dashboard origin is served by default; --cors-origins (flag, env, file)
// narrows it; --no-auth serves listed origins and loopback hosts only.
func TestServeCORSAndOpenMode(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	const dashboard = "http://localhost:3000"

	s := startServer(t, bin, t.TempDir(), "--api-key", "dbf_e2e-cors-key-0123456789")
	if st, o := webRequest(t, s, "OPTIONS", "/api/db/shop/query", "", preflightHeaders(dashboard)); st != 200 || o != dashboard {
		t.Fatalf("keys, default origins: preflight %d, Allow-Origin %q", st, o)
	}
	if st, o := webRequest(t, s, "GET", "/admin/databases", "", map[string]string{"Origin": dashboard}); st != 401 || o != dashboard {
		t.Fatalf("keys: a 401 without CORS headers: %d %q", st, o)
	}
	s.stop()

	// the environment narrows the default; the file is beaten by it
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[serve]\ncors_origins = [\"https://file.example\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBFORGE_CORS_ORIGINS", "https://env.example, "+dashboard)
	s = startServer(t, bin, t.TempDir(), "--api-key", "dbf_e2e-cors-key-0123456789", "--config", cfg)
	for origin, want := range map[string]int{dashboard: 200, "https://env.example": 200, "https://file.example": 403, "https://evil.example": 403} {
		if st, _ := webRequest(t, s, "OPTIONS", "/health", "", preflightHeaders(origin)); st != want {
			t.Errorf("DBFORGE_CORS_ORIGINS: preflight of %s: %d, want %d", origin, st, want)
		}
	}
	s.stop()
	t.Setenv("DBFORGE_CORS_ORIGINS", "")

	s = startServer(t, bin, t.TempDir(), "--no-auth", "--cors-origins", dashboard, "--allowed-hosts", "db.lan")
	checks := []struct {
		name, method, host string
		headers            map[string]string
		status             int
	}{
		{"listed origin", "OPTIONS", "", preflightHeaders(dashboard), 200},
		{"unlisted origin", "OPTIONS", "", preflightHeaders("https://evil.example"), 403},
		{"rebound host", "GET", "evil.example:8080", nil, 403},
		{"allowed host", "GET", "db.lan:8080", nil, 200},
		{"localhost", "GET", "localhost:8080", nil, 200},
	}
	for _, c := range checks {
		if st, _ := webRequest(t, s, c.method, "/admin/databases", c.host, c.headers); st != c.status {
			t.Errorf("--no-auth, %s: %d, want %d", c.name, st, c.status)
		}
	}
	s.stop()

	// open on every interface: loopback names still work, other names are
	// refused, and the log says how to allow them
	addr := testserve.FreeAddr(t)
	_, port, _ := strings.Cut(addr, ":")
	open := newServer(t, addr)
	open.cmd = exec.Command(bin, "serve", "--no-auth", "--insecure", "--addr", "0.0.0.0:"+port, "--data", t.TempDir())
	open.launch(15*time.Second, "")
	stderr := open.stderr
	if st, _ := webRequest(t, open, "GET", "/admin/databases", "", nil); st != 200 {
		t.Errorf("--insecure, loopback: %d", st)
	}
	if st, _ := webRequest(t, open, "GET", "/admin/databases", "192.0.2.7:"+port, nil); st != 403 {
		t.Errorf("--insecure, other host name: %d", st)
	}
	if !strings.Contains(stderr.String(), "--allowed-hosts") {
		t.Errorf("no hint about --allowed-hosts:\n%s", stderr)
	}

	out, err := exec.Command(bin, "serve", "--no-auth", "--cors-origins", "*", "--data", t.TempDir(), "--addr", testserve.FreeAddr(t)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "list the origins") {
		t.Fatalf("--no-auth --cors-origins '*': %v %s", err, out)
	}
}

// TestServeImportLimit: the real serve bounds CSV imports by
// --max-import-bytes, not by --max-body.
func TestServeImportLimit(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	const key = "dbf_e2e-import-key-0123456789"
	s := startServer(t, bin, t.TempDir(), "--api-key", key, "--max-body", "1024", "--max-import-bytes", "65536")
	s.key = key
	defer s.stop()
	s.want(201, "POST", "/admin/databases/spawn/c", nil)
	csv := "id,v\n" + strings.Repeat("1,abcdefghij\n", 2000) // 24 KiB: 24 × --max-body
	import_ := func(body string) int {
		req, _ := http.NewRequest("POST", s.url+"/api/db/c/import/csv?table=t", strings.NewReader(body))
		req.Header.Set("X-API-Key", key)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := import_(csv); st != 200 {
		t.Fatalf("import over --max-body: %d", st)
	}
	if st := import_(csv + csv + csv); st != 413 {
		t.Fatalf("import over --max-import-bytes: %d", st)
	}
}
