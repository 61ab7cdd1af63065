package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestOpenRequiresDir(t *testing.T) {
	if _, err := Open("", Options{}); err == nil {
		t.Error("empty data dir: want an error")
	}
}

// The backend serves the real gateway through its transport, keeps data
// across reopen, and refuses requests once closed.
func TestBackendRoundTrip(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(dir, Options{Version: "v-test"})
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: b.Transport()}
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), method, BaseURL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	if st, m := do("GET", "/health", ""); st != 200 || m["version"] != "v-test" {
		t.Fatalf("health = %d %v", st, m)
	}
	if st, _ := do("POST", "/admin/databases/spawn/keep", ""); st != 201 {
		t.Fatalf("spawn = %d", st)
	}
	if st, m := do("POST", "/api/db/keep/query", `{"sql":"CREATE TABLE t (x)"}`); st != 200 {
		t.Fatalf("create = %d %v", st, m)
	}
	if st, _ := do("POST", "/api/db/keep/query", `{"sql":"INSERT INTO t VALUES (42)"}`); st != 200 {
		t.Fatalf("insert = %d", st)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := hc.Get(BaseURL + "/"); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v", err)
	}

	b2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	hc.Transport = b2.Transport()
	st, m := do("POST", "/api/db/keep/query", `{"sql":"SELECT x FROM t"}`)
	data, _ := m["data"].([]any)
	if st != 200 || len(data) != 1 || data[0].(map[string]any)["x"] != 42.0 {
		t.Errorf("after reopen = %d %v", st, m)
	}
}

// A streamed CSV import larger than the JSON body limit goes through in
// embedded mode too; past the import limit it is a 413.
func TestEmbeddedImportLimit(t *testing.T) {
	b, err := Open(t.TempDir(), Options{MaxBodyBytes: 4 << 10, MaxImportBytes: 512 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hc := &http.Client{Transport: b.Transport()}
	post := func(path, contentType, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", BaseURL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	if st, raw := post("/admin/databases/spawn/big", "application/json", ""); st != 201 {
		t.Fatalf("spawn: %d %s", st, raw)
	}
	var csv strings.Builder
	csv.WriteString("id,v\n")
	for i := 0; csv.Len() < 256<<10; i++ {
		fmt.Fprintf(&csv, "%d,value %d\n", i, i)
	}
	if st, raw := post("/api/db/big/import/csv?table=t", "text/csv", csv.String()); st != 200 {
		t.Fatalf("import of %d bytes under a %d-byte body limit: %d %s", csv.Len(), 4<<10, st, raw)
	}
	big := csv.String() + csv.String() + csv.String()
	if st, raw := post("/api/db/big/import/csv?table=u", "text/csv", big); st != 413 || !strings.Contains(raw, "524288") {
		t.Fatalf("past the import limit: %d %s", st, raw)
	}
}
