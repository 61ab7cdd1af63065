package gateway

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, p := range []string{"/admin/databases", "/admin/gateway/stats", "/api/db/x/schema"} {
		r := f.doWith("GET", p, nil, nil)
		f.expect(r, 401, "Missing API Key. Provide it in the X-API-Key header.")
		if r.code() != "UNAUTHORIZED" || r.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("%s: %s", p, r.raw)
		}
		f.expect(f.doWith("GET", p, nil, map[string]string{"X-API-Key": "wrong"}), 401, "Invalid API Key.")
		f.expect(f.doWith("GET", p, nil, map[string]string{"Authorization": "Bearer wrong"}), 401, "Invalid API Key.")
		f.expect(f.doWith("GET", p, nil, map[string]string{"X-API-Key": ""}), 401, "Missing API Key. Provide it in the X-API-Key header.")
	}
	f.expect(f.doWith("GET", "/admin/databases", nil, map[string]string{"X-API-Key": testKey}), 200, "")
	f.expect(f.doWith("GET", "/admin/databases", nil, map[string]string{"Authorization": "Bearer " + testKey}), 200, "")
	// X-API-Key wins when both are sent
	f.expect(f.doWith("GET", "/admin/databases", nil, map[string]string{"X-API-Key": "wrong", "Authorization": "Bearer " + testKey}), 401, "Invalid API Key.")
	f.expect(f.doWith("POST", "/admin/databases/spawn/x", nil, map[string]string{"X-API-Key": "wrong"}), 401, "")
	if r := f.do("GET", "/admin/databases", nil); len(r.list) != 0 {
		t.Fatalf("an unauthorised spawn ran: %s", r.raw)
	}
	// open routes
	for _, p := range []string{"/", "/health", "/openapi.json"} {
		if r := f.doWith("GET", p, nil, nil); r.status != 200 {
			t.Errorf("%s: %d without a key", p, r.status)
		}
	}
	f.srv.Close() // waits for handlers, so every request is logged
	if strings.Contains(logs.String(), testKey) || strings.Contains(logs.String(), "wrong") {
		t.Fatal("a key reached the log")
	}
	if !strings.Contains(logs.String(), "pattern=\"GET /admin/databases\"") {
		t.Fatalf("request log lacks the pattern:\n%s", logs.String())
	}
}

func TestOpenMode(t *testing.T) {
	f := newFixture(t, Options{})
	f.gw = New(f.eng, Options{}) // zero Options: open
	f.srv.Config.Handler = f.gw
	f.expect(f.doWith("POST", "/admin/databases/spawn/o", nil, nil), 201, "")
	f.expect(f.doWith("POST", "/api/db/o/query", map[string]any{"sql": "SELECT 1"}, nil), 200, "")
}
