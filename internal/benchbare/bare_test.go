package benchbare

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandlerAnswersRows(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "b.db"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(db))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"sql": "SELECT v FROM t WHERE id = ?", "params": [2]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Data         []map[string]string
		RowsAffected int `json:"rows_affected"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.RowsAffected != 1 || got.Data[0]["v"] != "b" {
		t.Fatalf("%d %v %+v", resp.StatusCode, err, got)
	}
	resp, _ = http.Post(srv.URL, "application/json", strings.NewReader(`{"sql": "SELECT * FROM nope"}`))
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("bad SQL: %d", resp.StatusCode)
	}
}

func TestServerRoutes(t *testing.T) {
	s, err := NewServer(t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv, post := serveJSON(t, s.Handler())
	defer srv.Close()
	if code, body := post("/exec", `{"sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"}`); code != 200 {
		t.Fatal(code, body)
	}
	for range 2 { // the second call reuses the prepared statement
		if code, body := post("/exec", `{"sql": "INSERT INTO t (v) VALUES (?)", "params": ["a"]}`); code != 200 || !strings.Contains(body, `"rows_affected":1`) {
			t.Fatal(code, body)
		}
	}
	if code, body := post("/query", `{"sql": "SELECT count(*) AS n FROM t"}`); code != 200 || !strings.Contains(body, `"n":2`) {
		t.Fatal(code, body)
	}
	resp, err := http.Get(srv.URL + "/tables/t/rows?id=2")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Data []map[string]any }
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if len(got.Data) != 1 || got.Data[0]["id"] != 2.0 {
		t.Fatalf("rows route: %+v", got)
	}
	// A table name that could break out of its quotes is refused.
	resp, err = http.Get(srv.URL + `/tables/t%22%20OR%201/rows?id=1`)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("bad table name: %d", resp.StatusCode)
	}
}

// serveJSON serves h on a loopback test server, which the caller closes,
// and returns it with a post that sends body as JSON to a path and
// returns the status and the response body.
func serveJSON(t *testing.T, h http.Handler) (*httptest.Server, func(path, body string) (int, string)) {
	srv := httptest.NewServer(h)
	post := func(path, body string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	return srv, post
}
