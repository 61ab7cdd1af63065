package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

func TestQueryTimeout(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{QueryTimeout: 50 * time.Millisecond}, Options{})
	f.spawn("slow")
	r := f.do("POST", "/api/db/slow/query", map[string]any{
		"sql": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
	})
	f.expect(r, 408, "")
	if r.code() != "QUERY_TIMEOUT" {
		t.Fatalf("timeout: %s", r.raw)
	}
	f.expect(f.do("POST", "/api/db/slow/query", map[string]any{"sql": "SELECT 1"}), 200, "")
}

func TestDatabaseLimit(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxDatabases: 1}, Options{})
	f.spawn("one")
	r := f.do("POST", "/admin/databases/spawn/two", nil)
	f.expect(r, 409, "")
	if r.code() != "DATABASE_LIMIT_REACHED" {
		t.Fatalf("limit: %s", r.raw)
	}
}

func TestMaxRowsCap(t *testing.T) {
	f := newFixtureConfig(t, engine.Config{MaxRows: 5}, Options{})
	f.spawn("c")
	r := f.do("POST", "/api/db/c/query", map[string]any{
		"sql": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n", "limit": 1000,
	})
	f.expect(r, 200, "")
	if len(r.body["data"].([]any)) != 5 || r.body["has_more"] != true {
		t.Fatalf("cap: %s", r.raw)
	}
}

// TestErrorMapping covers engine errors that are hard to provoke for real
// (a lock held past the busy timeout, a full disk) and every typed error.
func TestErrorMapping(t *testing.T) {
	g := New(newFixture(t, Options{}).eng, Options{})
	req := httptest.NewRequest("GET", "/", nil)
	cases := []struct {
		err    error
		status int
		code   string
		detail string
	}{
		{engine.ErrInvalidName, 400, "INVALID_DATABASE_NAME", "Invalid database name."},
		{fmt.Errorf("%w: column %q", engine.ErrInvalidIdentifier, "x"), 400, "INVALID_IDENTIFIER", ""},
		{engine.ErrNotFound, 404, "DATABASE_NOT_FOUND", "Database not found."},
		{engine.ErrStopped, 409, "DATABASE_STOPPED", ""},
		{engine.ErrExists, 409, "DATABASE_ALREADY_EXISTS", ""},
		{engine.ErrMultipleStatements, 400, "BAD_REQUEST", ""},
		{engine.ErrEmptyStatement, 400, "BAD_REQUEST", ""},
		{engine.ErrTimeout, 408, "QUERY_TIMEOUT", ""},
		{fmt.Errorf("%w (busy)", engine.ErrLocked), 503, "DATABASE_LOCKED", ""},
		{engine.ErrTooManyDatabases, 409, "DATABASE_LIMIT_REACHED", ""},
		{engine.ErrQuotaExceeded, 409, "QUOTA_EXCEEDED", ""},
		{fmt.Errorf("%w (database or disk is full)", engine.ErrStorageFull), 507, "STORAGE_FULL", ""},
		{fmt.Errorf("create x: %w", engine.ErrDamaged), 409, "DATABASE_DAMAGED", ""},
		{&engine.TooLargeError{Limit: 10}, 422, "RESULT_TOO_LARGE", ""},
		{engine.ErrReadOnly, 403, "FORBIDDEN", ""},
		{engine.ErrClosed, 503, "SERVICE_UNAVAILABLE", ""},
		{&engine.SQLError{Msg: "near \"x\": syntax error"}, 400, "SQL_ERROR", "SQL Error: near \"x\": syntax error"},
		{&engine.BadInputError{Msg: "No rows provided for insertion."}, 400, "BAD_REQUEST", "No rows provided for insertion."},
		{context.Canceled, 499, "REQUEST_CANCELED", ""},
		{errors.New("disk exploded at /secret/path"), 500, "INTERNAL", "Internal server error."},
	}
	for _, c := range cases {
		e := g.engineError(req, c.err)
		if e.status != c.status || e.code != c.code || (c.detail != "" && e.msg != c.detail) {
			t.Errorf("%v: got %d %s %q", c.err, e.status, e.code, e.msg)
		}
	}
	w := httptest.NewRecorder()
	writeError(w, g.engineError(req, engine.ErrLocked))
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("a locked answer has no Retry-After")
	}
}
