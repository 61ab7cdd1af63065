package engine

import (
	"fmt"
	"testing"
)

// TestRandomblobKeepsSQLiteSemantics: the engine's randomblob answers like
// SQLite's for every kind of argument.
func TestRandomblobKeepsSQLiteSemantics(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "r")
	res := exec(t, e, "r", "SELECT length(randomblob(0)), length(randomblob(-5)), length(randomblob('16')), length(randomblob(NULL)), length(randomblob(2.9)), typeof(randomblob(4)), randomblob(16) = randomblob(16)")
	if got := fmt.Sprint(res.Rows); got != "[[1 1 16 1 2 blob 0]]" {
		t.Fatalf("randomblob: %s", got)
	}
	// every column of a row gets its own bytes
	res = exec(t, e, "r", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) SELECT count(DISTINCT randomblob(8)) FROM c")
	if res.Rows[0][0] != int64(100) {
		t.Fatalf("randomblob repeats: %v distinct of 100", res.Rows[0][0])
	}
}
