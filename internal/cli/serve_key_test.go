package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
)

// TestGivenKeyHashUnwritable: a new --api-key whose hash cannot be stored
// still serves, and the old hash is removed so a later start without
// --api-key cannot admit the replaced key; when even that fails, serve
// refuses to start. (An empty directory in the file's place stands in for
// a full disk: the rename onto it fails, even for root.)
func TestGivenKeyHashUnwritable(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(auth.HashFile(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	h, err := givenKeyHash(dir, "dbf_new-admin-key-0123456789", &stderr)
	if err != nil || !bytes.Equal(h, auth.Hash("dbf_new-admin-key-0123456789")) {
		t.Fatalf("givenKeyHash: %x %v", h, err)
	}
	if !strings.Contains(stderr.String(), "could not be stored") || strings.Contains(stderr.String(), "dbf_new") {
		t.Fatalf("warning: %q", stderr.String())
	}
	if _, err := os.Stat(auth.HashFile(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the unstorable hash's path is still there: %v", err)
	}

	// cannot store and cannot remove: refuse to start
	if err := os.MkdirAll(filepath.Join(auth.HashFile(dir), "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := givenKeyHash(dir, "dbf_new-admin-key-0123456789", &stderr); err == nil {
		t.Fatal("serve would start although an old hash may remain")
	}
}

func TestServeValidatesMetricsToken(t *testing.T) {
	base := serveFlags{addr: "127.0.0.1:0", queryTimeout: 1, maxRows: 1, maxBody: 1, auditRows: 1, auditAge: 1, bodyTimeout: 1, maxResult: 1, maxResultMem: 1, logFormat: "text"}
	for _, c := range []struct {
		name string
		mod  func(*serveFlags)
		ok   bool
	}{
		{"token", func(f *serveFlags) { f.metricsToken = "prometheus-token-0123" }, true},
		{"short token", func(f *serveFlags) { f.metricsToken = "short" }, false},
		{"token with --no-auth", func(f *serveFlags) { f.metricsToken = "prometheus-token-0123"; f.noAuth = true }, false},
	} {
		f := base
		c.mod(&f)
		if err := f.validate(); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestServeValidatesLogRequests(t *testing.T) {
	base := serveFlags{addr: "127.0.0.1:0", queryTimeout: 1, maxRows: 1, maxBody: 1, auditRows: 1, auditAge: 1, bodyTimeout: 1, maxResult: 1, maxResultMem: 1, logFormat: "text"}
	for mode, ok := range map[string]bool{"all": true, "errors": true, "off": true, "": true, "none": false, "ERRORS": false} {
		f := base
		f.logRequests = mode
		if err := f.validate(); (err == nil) != ok {
			t.Errorf("--log-requests=%q: %v", mode, err)
		}
	}
}
