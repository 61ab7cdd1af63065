package cli

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// TestServeTLS runs the real serve command with --tls-cert/--tls-key from
// the config file's [serve] table and talks to it over real TLS with a
// client that trusts only the test certificate.
func TestServeTLS(t *testing.T) {
	dir := isolateEnv(t)
	certFile, keyFile, pool := testserve.SelfSigned(t, dir)
	addr := testserve.FreeAddr(t)
	cfg := filepath.Join(dir, "c.toml")
	writeFile(t, cfg, "[serve]\ntls_cert = \""+certFile+"\"\ntls_key = \""+keyFile+"\"\n")

	ctx, cancel := context.WithCancel(context.Background())
	var out, errb testserve.SyncBuffer
	done := make(chan int, 1)
	go func() {
		root := newRootCmd(strings.NewReader(""), &out, &errb)
		root.SetArgs([]string{"--config", cfg, "serve", "--addr", addr, "--data", filepath.Join(dir, "data"), "--api-key", "dbf_tls-test-key-0123456789"})
		code := 0
		if err := root.ExecuteContext(ctx); err != nil {
			code = 1
		}
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, errb.String())
		}
	})

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = client.Get("https://" + addr + "/health"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("GET /health over TLS: %v (stderr %s)", err, errb.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"healthy"`) || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("health over TLS: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(out.String(), "listening on https://"+addr) {
		t.Errorf("banner: %q", out.String())
	}
	// a client that does not trust the certificate is refused
	if _, err := (&http.Client{Timeout: 5 * time.Second}).Get("https://" + addr + "/health"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted client: %v", err)
	}
	// plain HTTP to the TLS port gets no gateway answer
	if resp, err := http.Get("http://" + addr + "/health"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "healthy") {
			t.Errorf("plain HTTP served: %s", b)
		}
	}
}

func TestServeTLSUsageErrors(t *testing.T) {
	dir := isolateEnv(t)
	certFile, keyFile, _ := testserve.SelfSigned(t, dir)
	data := filepath.Join(dir, "data")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--tls-cert", certFile), exitUsage, "--tls-cert and --tls-key go together")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--tls-key", keyFile), exitUsage, "--tls-cert and --tls-key go together")
	// a key that is not the certificate's fails at start-up, before listening
	other, _, _ := testserve.SelfSigned(t, t.TempDir())
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--addr", testserve.FreeAddr(t), "--tls-cert", other, "--tls-key", keyFile), exitFailure, "TLS certificate")
	missing := filepath.Join(dir, "nope.pem")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--addr", testserve.FreeAddr(t), "--tls-cert", missing, "--tls-key", keyFile), exitFailure, "no such file")
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("created the missing file")
	}
}
