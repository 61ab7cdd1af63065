package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files
// and returns their paths and a pool trusting the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "dbforge test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})))
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeTLS runs the real serve command with --tls-cert/--tls-key from
// the config file's [serve] table and talks to it over real TLS with a
// client that trusts only the test certificate.
func TestServeTLS(t *testing.T) {
	dir := isolateEnv(t)
	certFile, keyFile, pool := selfSigned(t, dir)
	addr := freeAddr(t)
	cfg := filepath.Join(dir, "c.toml")
	writeFile(t, cfg, "[serve]\ntls_cert = \""+certFile+"\"\ntls_key = \""+keyFile+"\"\n")

	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
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
	certFile, keyFile, _ := selfSigned(t, dir)
	data := filepath.Join(dir, "data")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--tls-cert", certFile), exitUsage, "--tls-cert and --tls-key go together")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--tls-key", keyFile), exitUsage, "--tls-cert and --tls-key go together")
	// a key that is not the certificate's fails at start-up, before listening
	other, _, _ := selfSigned(t, t.TempDir())
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--addr", freeAddr(t), "--tls-cert", other, "--tls-key", keyFile), exitFailure, "TLS certificate")
	missing := filepath.Join(dir, "nope.pem")
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--addr", freeAddr(t), "--tls-cert", missing, "--tls-key", keyFile), exitFailure, "no such file")
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("created the missing file")
	}
}
