package mk1fake

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAnswers checks the stand-in's raw answers against the contract
// (docs/API.md) and MK1's source: exact bodies where MK1's are fixed.
func TestAnswers(t *testing.T) {
	srv := New(t)
	call := func(method, path, body string, key bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if key {
			req.Header.Set("X-API-Key", Key)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	want := func(gotStatus int, got string, status int, body string) {
		t.Helper()
		if gotStatus != status || got != body {
			t.Errorf("got %d %s\nwant %d %s", gotStatus, got, status, body)
		}
	}
	s, b := call("GET", "/", "", false)
	want(s, b, 200, `{"message":"Praetorian DB-Forge is online."}`)
	s, b = call("GET", "/admin/databases", "", false)
	want(s, b, 401, `{"detail":"Missing API Key. Please provide a valid API key in the X-API-Key header."}`)
	s, _ = call("GET", "/health", "", true)
	want(s, "", 404, "")

	s, b = call("POST", "/admin/databases/spawn/d", "", true)
	if s != 201 || !strings.HasPrefix(b, `{"message":"Database instance spawned successfully.","db_name":"d","container_id":"`) {
		t.Errorf("spawn: %d %s", s, b)
	}
	s, b = call("POST", "/admin/databases/spawn/d", "", true)
	if s != 201 || !strings.HasPrefix(b, `{"message":"Database instance already exists and is running."`) {
		t.Errorf("spawn again: %d %s", s, b)
	}
	s, b = call("POST", "/api/db/d/query", `{"sql":"CREATE TABLE t (x REAL)"}`, true)
	want(s, b, 200, `{"data":null,"rows_affected":-1,"message":"Query executed successfully."}`)
	s, b = call("POST", "/api/db/d/query", `{"sql":"INSERT INTO t VALUES (?), (?), (?)","params":[6363,1234567.5,1e20]}`, true)
	want(s, b, 200, `{"data":null,"rows_affected":3,"message":"Query executed successfully."}`)
	s, b = call("POST", "/api/db/d/query", `{"sql":" select x from t"}`, true)
	want(s, b, 200, `{"data":[{"x":6363.0},{"x":1234567.5},{"x":1e+20}],"rows_affected":3,"message":null}`)
	s, b = call("POST", "/api/db/d/query", `{"sql":"PRAGMA table_info(t)"}`, true)
	want(s, b, 200, `{"data":null,"rows_affected":-1,"message":"Query executed successfully."}`)
	s, b = call("POST", "/api/db/d/query", `{"sql":"SELECT 1; SELECT 2"}`, true)
	want(s, b, 400, `{"detail":"SQL Error: You can only execute one statement at a time."}`)
	s, b = call("POST", "/api/db/nope/query", `{"sql":"SELECT 1"}`, true)
	want(s, b, 404, `{"detail":"Database not found."}`)
	s, b = call("POST", "/api/db/-x/query", `{"sql":"SELECT 1"}`, true)
	want(s, b, 400, `{"detail":"Invalid database name."}`)
	s, b = call("POST", "/api/db/d/query", `{}`, true)
	want(s, b, 422, `{"detail":[{"type":"missing","loc":["body","sql"],"msg":"Field required","input":null}]}`)

	s, b = call("POST", "/api/db/d/tables", `{"table_name":"u","columns":[{"name":"id","type":"INTEGER","primary_key":true},{"name":"n","type":"INTEGER","default":1}]}`, true)
	want(s, b, 201, `{"message":"Table 'u' created successfully."}`)
	s, b = call("POST", "/api/db/d/tables/u/rows", `{"rows":[{"n":5},{"n":6}]}`, true)
	want(s, b, 201, `{"message":"Rows inserted successfully.","rows_affected":2}`)
	s, b = call("POST", "/api/db/d/tables/u/rows", `{"rows":[]}`, true)
	want(s, b, 400, `{"detail":"No rows provided for insertion."}`)
	s, b = call("GET", "/api/db/d/tables/u/rows?n=6", "", true)
	want(s, b, 200, `{"data":[{"id":2,"n":6}],"rows_affected":1,"message":null}`)

	s, b = call("POST", "/admin/databases/prune/d", "", true)
	want(s, b, 200, `{"message":"Database instance pruned successfully.","db_name":"d"}`)
	s, b = call("POST", "/admin/databases/prune/d", "", true)
	want(s, b, 404, `{"detail":"Database instance not found."}`)
	s, b = call("GET", "/admin/databases", "", true)
	want(s, b, 200, `[]`)
	// the file outlives the container: data routes still answer
	s, b = call("POST", "/api/db/d/query", `{"sql":"SELECT count(*) AS n FROM u"}`, true)
	want(s, b, 200, `{"data":[{"n":2}],"rows_affected":1,"message":null}`)
}

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{
		6363: "6363.0", 0.5: "0.5", 1234567.0: "1234567.0", 1e16: "1e+16", 1e15: "1000000000000000.0",
		0.0001: "0.0001", 0.00001: "1e-05", -2.5: "-2.5", 0: "0.0", 1.5e300: "1.5e+300",
	} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
