package testserve

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestFreeAddrIsClosedLoopback: the address is on 127.0.0.1 and nothing
// listens there once FreeAddr returns.
func TestFreeAddrIsClosedLoopback(t *testing.T) {
	addr := FreeAddr(t)
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("addr = %q", addr)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatalf("something still listens on %s", addr)
	}
}

// TestSyncBufferConcurrentWrites: writes from many goroutines all land.
func TestSyncBufferConcurrentWrites(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { b.Write([]byte("x")); _ = b.String() })
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("x", 50) {
		t.Fatalf("got %q", got)
	}
}

// TestSelfSignedServesTLS: a server with the certificate is trusted by a
// client with the pool and refused by one without it.
func TestSelfSignedServesTLS(t *testing.T) {
	certFile, keyFile, pool := SelfSigned(t, t.TempDir())
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := trusting.Get(srv.URL)
	if err != nil {
		t.Fatalf("trusting client: %v", err)
	}
	resp.Body.Close()
	if _, err := http.Get(srv.URL); err == nil {
		t.Fatal("a client without the pool trusted the self-signed certificate")
	}
}
