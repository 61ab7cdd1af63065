package client_test

import (
	"crypto/sha256"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
)

func TestKeysCreateListRevokeAndAudit(t *testing.T) {
	const admin = "dbf_admin-0123456789abcdef0123456789"
	srv := keyServer(t, admin)
	c := client.New(srv.URL, client.WithAPIKey(admin))
	ctx := ctxT(t)
	spawn(t, c, "shop")

	ck, err := c.CreateKey(ctx, client.NewKey{Name: "reporting", Role: client.RoleReadOnly, Databases: []string{"shop"}})
	if err != nil {
		t.Fatal(err)
	}
	if ck.Key == "" || ck.ID == "" || ck.Name != "reporting" || ck.Role != client.RoleReadOnly || !slices.Equal(ck.Databases, []string{"shop"}) {
		t.Fatalf("created = %+v", ck)
	}

	// the new key reads but may not write
	ro := client.New(srv.URL, client.WithAPIKey(ck.Key))
	exec(t, c, "shop", "CREATE TABLE t (x)")
	if _, err := ro.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT * FROM t"}); err != nil {
		t.Errorf("read-only key cannot read: %v", err)
	}
	if _, err := ro.Query(ctx, "shop", client.QueryRequest{SQL: "INSERT INTO t VALUES (1)"}); err == nil {
		t.Error("read-only key wrote")
	}

	list, err := c.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(k client.APIKey) bool { return k.ID == ck.ID })
	if i < 0 || list[i].RevokedAt != nil || list[i].CreatedAt.IsZero() {
		t.Fatalf("list = %+v", list)
	}

	rk, err := c.RevokeKey(ctx, ck.ID)
	if err != nil || rk.RevokedAt == nil || rk.ID != ck.ID {
		t.Fatalf("revoke = %+v, %v", rk, err)
	}
	if _, err := ro.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT 1"}); !client.IsUnauthorized(err) {
		t.Errorf("revoked key: want 401, got %v", err)
	}
	if _, err := c.RevokeKey(ctx, "no-such-key"); !client.IsNotFound(err) {
		t.Errorf("unknown key: want 404, got %v", err)
	}

	// the audit log is written asynchronously: wait for the calls above
	var log *client.AuditLog
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if log, err = c.Audit(ctx, client.AuditQuery{Database: "shop", Key: "reporting", Limit: 10}); err != nil {
			t.Fatal(err)
		}
		if len(log.Entries) >= 2 {
			break
		}
	}
	if len(log.Entries) < 2 || log.Written == 0 {
		t.Fatalf("audit = %+v", log)
	}
	for _, e := range log.Entries {
		if e.KeyName != "reporting" || e.Database != "shop" || e.Route != "POST /api/db/{db}/query" {
			t.Errorf("entry = %+v", e)
		}
	}
	if !log.Entries[0].Time.After(log.Entries[1].Time) && !log.Entries[0].Time.Equal(log.Entries[1].Time) {
		t.Errorf("entries not newest first: %v, %v", log.Entries[0].Time, log.Entries[1].Time)
	}
	future, err := c.Audit(ctx, client.AuditQuery{Since: time.Now().Add(time.Hour)})
	if err != nil || len(future.Entries) != 0 {
		t.Errorf("audit since the future = %+v, %v", future, err)
	}
}

func TestKeysNeedAdmin(t *testing.T) {
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sum := sha256.Sum256([]byte("dbf_admin-key-abcdefabcdefabcdef"))
	srv := httptest.NewServer(gateway.New(eng, gateway.Options{AdminKeyHash: sum[:]}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL)
	if _, err := c.ListKeys(ctxT(t)); !client.IsUnauthorized(err) {
		t.Errorf("no key: want 401, got %v", err)
	}
	if _, err := c.CreateKey(ctxT(t), client.NewKey{}); err == nil {
		t.Error("empty new key accepted")
	}
}
