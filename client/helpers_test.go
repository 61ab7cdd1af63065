package client_test

import (
	"context"
	"crypto/sha256"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
)

// newBackend opens an embedded backend in a temp dir.
func newBackend(t testing.TB) *embedded.Backend {
	t.Helper()
	b, err := embedded.Open(t.TempDir(), embedded.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// embeddedClient is a client on the embedded transport of a fresh backend.
func embeddedClient(t testing.TB, opts ...client.Option) *client.Client {
	t.Helper()
	b := newBackend(t)
	return client.New(embedded.BaseURL, append([]client.Option{client.WithTransport(b.Transport())}, opts...)...)
}

// loopbackClient is a client over loopback HTTP to a fresh backend.
func loopbackClient(t testing.TB, opts ...client.Option) *client.Client {
	t.Helper()
	srv := httptest.NewServer(newBackend(t).Handler())
	t.Cleanup(srv.Close)
	return client.New(srv.URL, opts...)
}

// eachMode runs fn once per way of reaching the gateway.
func eachMode(t *testing.T, fn func(t *testing.T, c *client.Client)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) { fn(t, embeddedClient(t)) })
	t.Run("loopback", func(t *testing.T) { fn(t, loopbackClient(t)) })
}

// keyServer is a gateway protected by key, over loopback.
func keyServer(t *testing.T, key string) *httptest.Server {
	t.Helper()
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sum := sha256.Sum256([]byte(key))
	srv := httptest.NewServer(gateway.New(eng, gateway.Options{AdminKeyHash: sum[:]}))
	t.Cleanup(srv.Close)
	return srv
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// spawn creates db and fails the test on error.
func spawn(t testing.TB, c *client.Client, db string) {
	t.Helper()
	if _, err := c.Spawn(ctxT(t), db); err != nil {
		t.Fatalf("spawn %s: %v", db, err)
	}
}

// exec runs a statement and fails the test on error.
func exec(t testing.TB, c *client.Client, db, sql string, params ...any) *client.QueryResult {
	t.Helper()
	req := client.QueryRequest{SQL: sql}
	if params != nil {
		req.Params = params
	}
	res, err := c.Query(ctxT(t), db, req)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return res
}
