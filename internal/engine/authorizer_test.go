package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadOnlyRefusesEveryWrite runs writes in every disguise as a
// read-only caller: each must fail, change nothing and create no file.
func TestReadOnlyRefusesEveryWrite(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "ro")
	exec(t, e, "ro", "CREATE TABLE t(a)")
	exec(t, e, "ro", "INSERT INTO t VALUES (1)")
	out := filepath.Join(t.TempDir(), "copy.db")
	for _, s := range []string{
		"INSERT INTO t VALUES (2)",
		"WITH x AS (SELECT 5) INSERT INTO t SELECT * FROM x",
		"/* hi */ with x(v) as (values(3)) delete from t",
		"ATTACH '" + out + "' AS a",
		"PRAGMA writable_schema=1",
		"PRAGMA writable_schema = ON",
		"PRAGMA main.writable_schema=1",
		"PRAGMA query_only=0",
		"PRAGMA user_version=7",
		"VACUUM INTO '" + out + "'",
		"VACUUM/**/INTO'" + out + "'",
		"VACUUM",
		"CREATE TEMP TABLE tt(a)",
		"DROP TABLE t",
		"REPLACE INTO t VALUES (9)",
	} {
		_, err := e.Exec(context.Background(), "ro", Query{SQL: s, ReadOnly: true})
		var se *SQLError
		if !errors.Is(err, ErrReadOnly) && !errors.As(err, &se) {
			t.Errorf("%q as read-only: err = %v, want refusal", s, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q created a file", s)
		}
	}
	res := exec(t, e, "ro", "SELECT count(*), sum(a) FROM t")
	if res.Rows[0][0] != int64(1) || res.Rows[0][1] != int64(1) {
		t.Fatalf("data changed: %v", res.Rows)
	}
	// no reader was left with a setting changed
	for range 8 {
		res := exec(t, e, "ro", "PRAGMA writable_schema")
		if res.Rows[0][0] != int64(0) {
			t.Fatal("a reader has writable_schema on")
		}
	}
	// reads with an argument still work
	res, err := e.Exec(context.Background(), "ro", Query{SQL: "PRAGMA table_info(t)", ReadOnly: true})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("table_info: %v %v", res, err)
	}
}

// TestWriterGuards checks what even a writing caller may not do.
func TestWriterGuards(t *testing.T) {
	e := openTest(t, func(c *Config) { c.MaxDBSizeBytes = 1 << 20 })
	spawn(t, e, "w")
	exec(t, e, "w", "CREATE TABLE t(a)")
	out := filepath.Join(t.TempDir(), "copy.db")
	for _, s := range []string{
		"VACUUM/**/INTO'" + out + "'",
		"vacuum main into '" + out + "'",
		"ATTACH '" + out + "' AS a",
		"PRAGMA max_page_count=99999999",
		"PRAGMA writable_schema=1",
		"PRAGMA journal_mode=DELETE",
		"PRAGMA synchronous=OFF",
	} {
		_, err := e.Exec(context.Background(), "w", Query{SQL: s})
		var se *SQLError
		var be *BadInputError
		if !errors.As(err, &se) && !errors.As(err, &be) {
			t.Errorf("%q: err = %v, want refusal", s, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q created a file", s)
		}
	}
	// the quota still holds
	_, err := e.Exec(context.Background(), "w", Query{SQL: "INSERT INTO t VALUES (zeroblob(2000000))"})
	wantErr(t, err, ErrQuotaExceeded)
	// ordinary maintenance still works
	exec(t, e, "w", "PRAGMA user_version=3")
	exec(t, e, "w", "VACUUM")
	if res := exec(t, e, "w", "PRAGMA user_version"); res.Rows[0][0] != int64(3) {
		t.Fatalf("user_version: %v", res.Rows)
	}
}
