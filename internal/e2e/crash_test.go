package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
	_ "modernc.org/sqlite" // to check the files after the last kill
)

const crashKey = "dbf_crash-test-key-0123456789abcdef"

// acked is the set of row ids the server acknowledged with a 2xx.
type acked struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (a *acked) add(ids ...int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		a.ids[id] = true
	}
}

// post sends a JSON body with the key and returns the status (0 when no
// answer came back: the server died mid-request).
func post(hc *http.Client, url string, body any) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("X-API-Key", crashKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0 // a status without its whole body is no acknowledgement
	}
	return resp.StatusCode
}

// writers insert rows with unique ids until stop is closed: two clients by
// single INSERTs through /query, one by batches of five through the MK1
// rows route (all or nothing). Only 2xx answers are recorded.
func writers(base string, next *atomic.Int64, got *acked, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 10 * time.Second}
	for c := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if c < 2 {
					id := next.Add(1)
					if s := post(hc, base+"/api/db/crash/query", map[string]any{
						"sql": "INSERT INTO t(id, client, payload) VALUES (?, ?, ?)", "params": []any{id, c, fmt.Sprintf("row %d", id)},
					}); s/100 == 2 {
						got.add(id)
					}
					continue
				}
				ids := make([]int64, 5)
				rows := make([]any, 5)
				for i := range ids {
					ids[i] = next.Add(1)
					rows[i] = map[string]any{"id": ids[i], "client": c, "payload": "batch"}
				}
				if s := post(hc, base+"/api/db/crash/tables/t/rows", map[string]any{"rows": rows}); s/100 == 2 {
					got.add(ids...)
				}
			}
		}()
	}
	return &wg
}

// verify checks through the server that every acknowledged id is stored
// and that SQLite finds the file intact.
func verify(t *testing.T, s *server, got *acked, cycle int) {
	t.Helper()
	r := s.call("POST", "/api/db/crash/query", map[string]any{"sql": "PRAGMA integrity_check"}, crashKey)
	if r.status != 200 || fmt.Sprint(r.obj["data"]) != "[map[integrity_check:ok]]" {
		t.Fatalf("cycle %d: integrity_check: %s", cycle, r.raw)
	}
	got.mu.Lock()
	ids := make([]int64, 0, len(got.ids))
	for id := range got.ids {
		ids = append(ids, id)
	}
	got.mu.Unlock()
	list, _ := json.Marshal(ids)
	r = s.call("POST", "/api/db/crash/query", map[string]any{
		"sql": "SELECT count(*) AS n FROM t WHERE id IN (SELECT value FROM json_each(?))", "params": []any{string(list)},
	}, crashKey)
	if r.status != 200 {
		t.Fatalf("cycle %d: count: %.300s", cycle, r.raw)
	}
	if n := int(r.obj["data"].([]any)[0].(map[string]any)["n"].(float64)); n != len(ids) {
		t.Fatalf("cycle %d: %d acknowledged writes lost of %d", cycle, len(ids)-n, len(ids))
	}
}

// TestCrashSafety kills the real `dbforge serve` with SIGKILL at random
// moments while clients write, restarts it on the same data directory, and
// checks that every acknowledged write survived and the files are intact.
func TestCrashSafety(t *testing.T) {
	cycles := pick(8, 60)
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	got := &acked{ids: map[int64]bool{}}
	var next atomic.Int64

	s := startServer(t, bin, data, "--api-key", crashKey)
	s.key = crashKey
	s.want(201, "POST", "/admin/databases/spawn/crash", nil)
	s.want(200, "POST", "/api/db/crash/query", map[string]any{"sql": "CREATE TABLE t(id INTEGER PRIMARY KEY, client INTEGER NOT NULL, payload TEXT)"})
	for cycle := 1; cycle <= cycles; cycle++ {
		if cycle > 1 {
			s = startServer(t, bin, data, "--api-key", crashKey)
			s.key = crashKey
			verify(t, s, got, cycle)
		}
		stop := make(chan struct{})
		wg := writers(s.url, &next, got, stop)
		time.Sleep(time.Duration(20+rng.IntN(230)) * time.Millisecond)
		if err := s.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-s.done
		close(stop)
		wg.Wait()
	}
	// the files themselves, opened directly after the last kill
	for _, f := range []string{filepath.Join(data, "databases", "crash.db"), filepath.Join(data, "catalog.db")} {
		db, err := sql.Open("sqlite", "file:"+f)
		if err != nil {
			t.Fatal(err)
		}
		var res string
		if err := db.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Fatalf("%s: integrity_check %q %v", f, res, err)
		}
		db.Close()
	}
	s = startServer(t, bin, data, "--api-key", crashKey)
	s.key = crashKey
	verify(t, s, got, cycles+1)
	got.mu.Lock()
	n := len(got.ids)
	got.mu.Unlock()
	if n < cycles {
		t.Fatalf("only %d writes acknowledged over %d cycles: the test wrote too little to mean anything", n, cycles)
	}
	t.Logf("%d kill -9 cycles, %d acknowledged writes, none lost", cycles, n)
	s.stop()
}
