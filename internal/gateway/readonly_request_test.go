package gateway

import (
	"fmt"
	"testing"
)

// A client in read-only mode asks for read_only on each query; SQLite then
// refuses writes even though the key itself may write.
func TestQueryReadOnlyRequest(t *testing.T) {
	f := newFixture(t, Options{})
	f.do("POST", "/admin/databases/spawn/ro", nil)
	if r := f.do("POST", "/api/db/ro/query", map[string]any{"sql": "CREATE TABLE t(x)"}); r.status != 200 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	for _, sql := range []string{
		"INSERT INTO t VALUES (1)",
		"WITH v(x) AS (SELECT 2) INSERT INTO t SELECT x FROM v",
		"DROP TABLE t",
	} {
		r := f.do("POST", "/api/db/ro/query", map[string]any{"sql": sql, "read_only": true})
		if r.status != 403 || r.code() != "FORBIDDEN" {
			t.Errorf("%s with read_only: %d %s", sql, r.status, r.raw)
		}
	}
	r := f.do("POST", "/api/db/ro/query", map[string]any{"sql": "SELECT count(*) AS n FROM t", "read_only": true})
	if r.status != 200 {
		t.Fatalf("read with read_only: %d %s", r.status, r.raw)
	}
	rows, _ := r.body["data"].([]any)
	if len(rows) != 1 || fmt.Sprint(rows[0].(map[string]any)["n"]) != "0" {
		t.Fatalf("table changed under read_only: %s", r.raw)
	}
}
