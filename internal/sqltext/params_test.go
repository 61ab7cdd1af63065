package sqltext

import "testing"

func TestHasParams(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT * FROM t WHERE a = ?":          true,
		"SELECT * FROM t WHERE a = ?2":         true,
		"SELECT * FROM t WHERE a = :name":      true,
		"SELECT * FROM t WHERE a = @name":      true,
		"SELECT * FROM t WHERE a = $name":      true,
		"SELECT '?', ':x', \"@y\" FROM t":      false,
		"SELECT a FROM t -- where b = ?":       false,
		"SELECT a FROM t /* :x */":             false,
		"SELECT a FROM t WHERE b = 1":          false,
		"SELECT CASE WHEN a THEN 1 END FROM t": false,
	} {
		if got := SQLite.HasParams(sql); got != want {
			t.Errorf("SQLite %q: %v, want %v", sql, got, want)
		}
	}
	for sql, want := range map[string]bool{
		"SELECT * FROM t WHERE a = $1": true,
		"SELECT a::text FROM t":        false,
		"SELECT $$ $1 $$, '$2' FROM t": false,
		"SELECT * FROM t WHERE a = 1":  false,
	} {
		if got := Postgres.HasParams(sql); got != want {
			t.Errorf("Postgres %q: %v, want %v", sql, got, want)
		}
	}
}
