package gateway

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// A database file of garbage bytes answers a clear 409, not a 500.
func TestSpawnOverDamagedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "databases"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "databases", "bad.db"), bytes.Repeat([]byte("garbage!"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	eng, err := engine.Open(engine.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	srv := httptest.NewServer(New(eng, Options{AdminKeyHash: auth.Hash(testKey)}))
	t.Cleanup(srv.Close)
	f := &fixture{t: t, eng: eng, srv: srv, key: testKey}
	r := f.do("POST", "/admin/databases/spawn/bad", nil)
	f.expect(r, 409, "")
	if r.code() != client.CodeDamaged {
		t.Fatalf("spawn over a garbage file: %s", r.raw)
	}
}
