package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// WithCapabilities is believed: the client never probes GET /health, for
// a DB-Forge preset (extension routes are called straight away) and for an
// MK1 preset (they fail with ErrUnsupported without a request). Without
// the option the same call probes once.
func TestWithCapabilitiesSkipsTheProbe(t *testing.T) {
	gw := newBackend(t).Handler()
	var health, total atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		total.Add(1)
		if r.URL.Path == "/health" {
			health.Add(1)
		}
		gw.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx := ctxT(t)
	spawn(t, client.New(srv.URL), "app")

	health.Store(0)
	known := client.New(srv.URL, client.WithCapabilities(client.Capabilities{Extended: true, Version: "preset"}))
	if _, err := known.Database(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if caps, err := known.Capabilities(ctx); err != nil || caps.Version != "preset" {
		t.Errorf("Capabilities = %+v, %v; want the preset", caps, err)
	}
	if n := health.Load(); n != 0 {
		t.Errorf("a preset DB-Forge client sent GET /health %d times", n)
	}

	total.Store(0)
	mk1 := client.New(srv.URL, client.WithCapabilities(client.Capabilities{}))
	if _, err := mk1.Database(ctx, "app"); !errors.Is(err, client.ErrUnsupported) {
		t.Errorf("MK1 preset: Database err = %v, want ErrUnsupported", err)
	}
	if n := total.Load(); n != 0 {
		t.Errorf("MK1 preset: %d requests sent, want none", n)
	}

	if _, err := client.New(srv.URL).Database(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if n := health.Load(); n != 1 {
		t.Errorf("without a preset: GET /health sent %d times, want the one probe", n)
	}
}
