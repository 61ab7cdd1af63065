package auth

import (
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestGenerateKeyIsRandomAndPrefixed(t *testing.T) {
	a, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateKey()
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	if !strings.HasPrefix(a, KeyPrefix) || len(a) != len(KeyPrefix)+43 {
		t.Fatalf("key %q: want %q + 43 base64url chars", a, KeyPrefix)
	}
}

func TestStaticKeyAuthenticate(t *testing.T) {
	key, _ := GenerateKey()
	s := NewStaticKey(Hash(key))
	p, err := s.Authenticate(key)
	if err != nil || p.Role != RoleAdmin {
		t.Fatalf("right key: %v %+v", err, p)
	}
	if _, err := s.Authenticate(key + "x"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := s.Authenticate(""); !errors.Is(err, ErrMissingKey) {
		t.Fatalf("empty key: %v", err)
	}
}

func TestFromRequest(t *testing.T) {
	cases := []struct {
		header, value, want string
		ok                  bool
	}{
		{"X-API-Key", "k1", "k1", true},
		{"Authorization", "Bearer k2", "k2", true},
		{"Authorization", "bearer  k3 ", "k3", true},
		{"Authorization", "Basic abc", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		if c.header != "" {
			r.Header.Set(c.header, c.value)
		}
		got, ok := FromRequest(r)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: %q: got %q %v", c.header, c.value, got, ok)
		}
	}
}

func TestHashFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadHash(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("no file yet: %v", err)
	}
	h := Hash("secret")
	if err := SaveHash(dir, h); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(HashFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	got, err := LoadHash(dir)
	if err != nil || string(got) != string(h) {
		t.Fatalf("load: %v %x", err, got)
	}
	b, _ := os.ReadFile(HashFile(dir))
	if strings.Contains(string(b), "secret") {
		t.Fatal("the key itself reached the file")
	}
	os.WriteFile(HashFile(dir), []byte("nothex\n"), 0o600)
	if _, err := LoadHash(dir); err == nil {
		t.Fatal("a corrupt hash file was accepted")
	}
	if err := SaveHash(dir, []byte("short")); err == nil {
		t.Fatal("a short hash was accepted")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range []string{"admin", "readwrite", "readonly"} {
		if got, err := ParseRole(r); err != nil || string(got) != r {
			t.Errorf("%s: %v %v", r, got, err)
		}
	}
	for _, r := range []string{"", "root", "Admin", "read-only"} {
		if _, err := ParseRole(r); err == nil {
			t.Errorf("%q accepted", r)
		}
	}
}

func TestPrincipalScope(t *testing.T) {
	all := Principal{Role: RoleReadWrite}
	one := Principal{Role: RoleReadOnly, Databases: []string{"a"}}
	if !all.CanAccess("x") || !one.CanAccess("a") || one.CanAccess("b") || one.CanAccess("") {
		t.Fatal("scope check wrong")
	}
	if one.CanWrite() || !all.CanWrite() || all.IsAdmin() || !(Principal{Role: RoleAdmin}).IsAdmin() {
		t.Fatal("role check wrong")
	}
}

func TestChain(t *testing.T) {
	k1, _ := GenerateKey()
	k2, _ := GenerateKey()
	c := Chain{NewStaticKey(Hash(k1)), NewStaticKey(Hash(k2))}
	for _, k := range []string{k1, k2} {
		if p, err := c.Authenticate(k); err != nil || !p.IsAdmin() {
			t.Fatalf("chain refused a known key: %v", err)
		}
	}
	if _, err := c.Authenticate("dbf_nope"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := c.Authenticate(""); !errors.Is(err, ErrMissingKey) {
		t.Fatalf("empty key: %v", err)
	}
}

func TestPrincipalCovers(t *testing.T) {
	unscoped := Principal{Role: RoleAdmin}
	shop := Principal{Role: RoleAdmin, Databases: []string{"shop", "shop_eu"}}
	cases := []struct {
		p    Principal
		dbs  []string
		want bool
	}{
		{unscoped, nil, true},
		{unscoped, []string{"other"}, true},
		{shop, nil, false}, // an unscoped key reaches every database
		{shop, []string{}, false},
		{shop, []string{"shop"}, true},
		{shop, []string{"shop_eu", "shop"}, true},
		{shop, []string{"shop", "other"}, false},
		{shop, []string{"other"}, false},
		{shop, []string{"Shop"}, false},
	}
	for _, c := range cases {
		if got := c.p.Covers(c.dbs); got != c.want {
			t.Errorf("%v covers %v: %v, want %v", c.p.Databases, c.dbs, got, c.want)
		}
	}
}

// TestStoreHashWritesOnlyOnChange: storing the hash already stored leaves
// the file alone (a restart needs no disk space), a new hash replaces it.
func TestStoreHashWritesOnlyOnChange(t *testing.T) {
	dir := t.TempDir()
	h1, h2 := Hash("first-key"), Hash("second-key")
	if err := StoreHash(dir, h1); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(HashFile(dir), past, past); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(HashFile(dir))
	if err := StoreHash(dir, h1); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(HashFile(dir))
	if !os.SameFile(before, after) || !after.ModTime().Equal(past) {
		t.Fatal("storing the same hash rewrote the file")
	}
	if err := StoreHash(dir, h2); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadHash(dir); err != nil || string(got) != string(h2) {
		t.Fatalf("a new hash was not stored: %x %v", got, err)
	}
	if err := RemoveHash(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadHash(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after RemoveHash: %v", err)
	}
	if err := RemoveHash(dir); err != nil {
		t.Fatalf("removing no hash: %v", err)
	}
}
