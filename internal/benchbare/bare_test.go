package benchbare

import (
	"encoding/json"
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
