package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
)

func TestKeysCreateAuthenticateRevoke(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	k, plain, err := e.CreateKey(ctx, NewKey{Name: "reporting", Role: auth.RoleReadOnly, Databases: []string{"b", "a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain, auth.KeyPrefix) || k.ID == "" || strings.Join(k.Databases, ",") != "a,b" {
		t.Fatalf("created %+v %q", k, plain)
	}
	p, err := e.Keys().Authenticate(plain)
	if err != nil || p.KeyID != k.ID || p.Name != "reporting" || p.Role != auth.RoleReadOnly || !p.CanAccess("a") || p.CanAccess("c") {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	if _, err := e.Keys().Authenticate(plain + "x"); !errors.Is(err, auth.ErrInvalidKey) {
		t.Fatalf("wrong key: %v", err)
	}
	// only the hash is stored
	var n int
	e.catalog.db.QueryRow(`SELECT count(*) FROM keys WHERE instr(CAST(hash AS TEXT), ?) > 0 OR instr(name, ?) > 0`, plain, plain).Scan(&n)
	if n != 0 {
		t.Fatal("the key itself reached the catalog")
	}
	list, err := e.ListKeys(ctx)
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || list[0].RevokedAt != nil {
		t.Fatalf("list: %+v %v", list, err)
	}
	// survives a restart, last use included
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Keys().Authenticate(plain); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	r, err := e.RevokeKey(ctx, k.ID)
	if err != nil || r.RevokedAt == nil {
		t.Fatalf("revoke: %+v %v", r, err)
	}
	if _, err := e.Keys().Authenticate(plain); !errors.Is(err, auth.ErrInvalidKey) {
		t.Fatalf("a revoked key works: %v", err)
	}
	again, err := e.RevokeKey(ctx, k.ID)
	if err != nil || !again.RevokedAt.Equal(*r.RevokedAt) {
		t.Fatalf("revoke twice: %+v %v", again, err)
	}
	if _, err := e.RevokeKey(ctx, "key_nope"); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestKeysValidation(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	for _, nk := range []NewKey{
		{Name: "", Role: auth.RoleAdmin},
		{Name: strings.Repeat("n", 65), Role: auth.RoleAdmin},
		{Name: "bad\x00name", Role: auth.RoleAdmin},
		{Name: "x", Role: "root"},
		{Name: "x", Role: auth.RoleReadOnly, Databases: []string{"../etc"}},
	} {
		if _, _, err := e.CreateKey(ctx, nk); err == nil {
			t.Errorf("%+v accepted", nk)
		}
	}
	if list, _ := e.ListKeys(ctx); len(list) != 0 {
		t.Fatalf("a refused key was stored: %+v", list)
	}
}

func TestKeysLastUsedIsLazy(t *testing.T) {
	e := openTest(t, nil)
	_, plain, err := e.CreateKey(context.Background(), NewKey{Name: "k", Role: auth.RoleReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	e.Keys().Authenticate(plain)
	var used *int64
	e.catalog.db.QueryRow(`SELECT last_used_at FROM keys`).Scan(&used)
	if used != nil {
		t.Fatal("last use written on the request path")
	}
	if err := e.sec.keys.flushLastUsed(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.catalog.db.QueryRow(`SELECT last_used_at FROM keys`).Scan(&used)
	if used == nil || time.Since(time.Unix(0, *used)) > time.Minute {
		t.Fatalf("last use not flushed: %v", used)
	}
}

func TestKeyByID(t *testing.T) {
	ctx := context.Background()
	e := openTest(t, nil)
	k, _, err := e.CreateKey(ctx, NewKey{Name: "app", Role: auth.RoleReadWrite, Databases: []string{"shop"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.KeyByID(ctx, k.ID)
	if err != nil || got.ID != k.ID || got.Name != "app" || strings.Join(got.Databases, ",") != "shop" {
		t.Fatalf("KeyByID: %+v %v", got, err)
	}
	for _, id := range []string{"", "key_nosuch", "' OR 1=1 --"} {
		if _, err := e.KeyByID(ctx, id); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("KeyByID(%q): %v, want ErrKeyNotFound", id, err)
		}
	}
}

// TestKeysChangedByAnotherEngineTakeEffect: two engines on one data
// directory, as a running serve and the local CLI are: a key the second
// creates is accepted by the first, and refused once the second revokes it,
// each within a couple of seconds and without a restart.
func TestKeysChangedByAnotherEngineTakeEffect(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	server, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	cli, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	k, plain, err := cli.CreateKey(ctx, NewKey{Name: "late", Role: auth.RoleReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	within(t, 2*time.Second, "the created key is accepted", func() bool {
		_, err := server.Keys().Authenticate(plain)
		return err == nil
	})
	t.Logf("new key accepted after %v", time.Since(start))
	if _, err := cli.RevokeKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	within(t, 2*time.Second, "the revoked key is refused", func() bool {
		_, err := server.Keys().Authenticate(plain)
		return errors.Is(err, auth.ErrInvalidKey)
	})
	t.Logf("revoked key refused after %v", time.Since(start))

	// a check with nothing changed reloads nothing
	v := server.sec.keys.version.Load()
	if err := server.sec.keys.refresh(ctx); err != nil || server.sec.keys.version.Load() != v {
		t.Fatalf("refresh without a change: %v, version %d → %d", err, v, server.sec.keys.version.Load())
	}
	// nor does writing last uses (not a change of the keys)
	k2, plain2, _ := server.CreateKey(ctx, NewKey{Name: "busy", Role: auth.RoleReadOnly})
	server.Keys().Authenticate(plain2)
	v = server.sec.keys.version.Load()
	if err := server.sec.keys.flushLastUsed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, changed, _ := server.sec.keys.changedVersion(ctx); changed {
		t.Fatalf("storing the last use of %s moved the change counter from %d", k2.ID, v)
	}
}

// within polls cond until it holds or d has passed.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
	}
}
