package engine

import (
	"context"
	"testing"
	"time"
)

func TestZZExplore(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "x")
	for _, s := range []string{
		"SELECT length(randomblob(60000000))",
		"SELECT length(printf('%.*c', 60000000, 'x'))",
		"SELECT length(replace(printf('%.*c', 6000000, 'x'), 'x', 'yyyyyyyyyy'))",
		"SELECT length(hex(zeroblob(30000000)))",
		"SELECT length(upper(printf('%.*c', 60000000, 'x')))",
		"SELECT length(zeroblob(60000000))",
		"SELECT count(*) FROM (SELECT zeroblob(60000000) AS z) WHERE z LIKE '%a%'",
		"SELECT instr(zeroblob(60000000), x'01')",
		"SELECT length(quote(zeroblob(30000000)))",
		"SELECT length(unhex(hex(zeroblob(30000000))))",
		"SELECT length(json_quote(printf('%.*c', 30000000, char(1))))",
		"SELECT length(group_concat(printf('%.*c', 1000000, 'x'))) FROM generate_series(1,60)",
	} {
		start := time.Now()
		res, err := e.Exec(context.Background(), "x", Query{SQL: s, ReadOnly: true})
		if res != nil {
			t.Logf("%q: %v %v %v", s, time.Since(start), res.Rows, err)
		} else {
			t.Logf("%q: %v %v", s, time.Since(start), err)
		}
	}
}
