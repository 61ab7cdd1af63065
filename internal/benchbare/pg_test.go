package benchbare

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/pgtest"
)

// TestPGServerRoutes: the bare PostgreSQL contender answers the shapes
// the benchmark checks for, with whole-number params bound as integers,
// and bad SQL as a 400.
func TestPGServerRoutes(t *testing.T) {
	c := pgtest.Start(t)
	s, err := NewPGServer(context.Background(), c.AdminDSN(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv, post := serveJSON(t, s.Handler())
	defer srv.Close()
	if code, body := post("/exec", `{"sql":"CREATE TABLE t (id int8 PRIMARY KEY, v text)"}`); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, body := post("/exec", `{"sql":"INSERT INTO t VALUES ($1, $2), ($3, $4)","params":[1,"a",9007199254740993,"b"]}`); code != 200 || !strings.Contains(body, `"rows_affected":2`) {
		t.Fatalf("insert: %d %s", code, body)
	}
	code, body := post("/query", `{"sql":"SELECT id::text AS id, v FROM t WHERE id = $1","params":[9007199254740993]}`)
	var got struct {
		Data         []map[string]string
		RowsAffected int `json:"rows_affected"`
	}
	if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil || got.RowsAffected != 1 || got.Data[0]["id"] != "9007199254740993" || got.Data[0]["v"] != "b" {
		t.Fatalf("query: %d %v %s", code, err, body)
	}
	if code, _ := post("/query", `{"sql":"SELECT * FROM nope"}`); code != 400 {
		t.Fatalf("bad SQL: %d", code)
	}
	if code, _ := post("/query", `{"sql":`); code != 400 {
		t.Fatalf("bad JSON: %d", code)
	}
}
