package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// TestReturningRowsAreNotReadAgain: an INSERT … RETURNING with more rows
// than a page shows its first page and never sends the statement again
// (paging would insert the rows a second time).
func TestReturningRowsAreNotReadAgain(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", "CREATE TABLE t (x INTEGER)")
	sql := "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 500) SELECT x FROM c RETURNING x"
	l.runInEditor(sql, ctrl('r'))
	l.until("the result", func() bool { return strings.Contains(l.status(), "only the first rows") })
	l.press(kp("alt+5"), kp("G"), kp("pgdown"), kp("pgdown"))
	l.drain()
	r, err := l.api.Client.Query(context.Background(), "shop", client.QueryRequest{SQL: "SELECT count(*) FROM t"})
	if err != nil || r.Rows[0][0] != int64(500) {
		t.Fatalf("rows in t after paging the RETURNING result: %v %v (want 500)", r, err)
	}
}
