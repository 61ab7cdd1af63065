package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

// loadStats are one client's observations.
type loadStats struct {
	lat            []time.Duration
	reads, writes  int
	busy           int   // documented busy/limit answers (429, 503 DATABASE_LOCKED)
	written        int64 // acknowledged inserted rows
	unexpected     []string
	unexpectedSeen int
}

// TestLoad runs many concurrent clients mixing reads and writes over
// several databases for a fixed time through the real gateway on loopback.
// Only documented busy/limit answers may fail; every acknowledged write
// must be stored. Latency percentiles and throughput go to the test log.
func TestLoad(t *testing.T) {
	clients := pick(16, 64)
	duration := time.Duration(pick(4, 60)) * time.Second
	dbs := []string{"load0", "load1", "load2", "load3"}
	p := startInProcess(t, engine.Config{MaxConcurrent: 32})
	ctx := context.Background()
	for _, db := range dbs {
		if _, _, err := p.eng.Spawn(ctx, db, ""); err != nil {
			t.Fatal(err)
		}
		mustExec(t, p.eng, db, "CREATE TABLE items(id INTEGER PRIMARY KEY, client INTEGER, n INTEGER, note TEXT)")
		mustExec(t, p.eng, db, "INSERT INTO items(client, n, note) WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 1000) SELECT -1, v, 'seed' FROM s")
	}

	stats := make([]*loadStats, clients)
	var wg sync.WaitGroup
	deadline := time.Now().Add(duration)
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	for c := range clients {
		st := &loadStats{}
		stats[c] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 99))
			for time.Now().Before(deadline) {
				db := dbs[rng.IntN(len(dbs))]
				var body map[string]any
				write := rng.IntN(10) < 3
				switch {
				case write:
					body = map[string]any{"sql": "INSERT INTO items(client, n, note) VALUES (?, ?, ?)", "params": []any{c, rng.IntN(1000), "load"}}
				case rng.IntN(2) == 0:
					body = map[string]any{"sql": "SELECT id, n, note FROM items WHERE id = ?", "params": []any{1 + rng.IntN(1000)}}
				default:
					body = map[string]any{"sql": "SELECT client, count(*) AS c, sum(n) AS s FROM items WHERE n < ? GROUP BY client", "params": []any{rng.IntN(1000)}}
				}
				start := time.Now()
				status, code, err := loadCall(hc, p.srv.URL+"/api/db/"+db+"/query", body)
				st.lat = append(st.lat, time.Since(start))
				switch {
				case err == nil && status == 200:
					if write {
						st.writes++
						st.written++
					} else {
						st.reads++
					}
				case status == 429 && code == "TOO_MANY_REQUESTS", status == 503 && code == "DATABASE_LOCKED":
					st.busy++
				default:
					st.unexpectedSeen++
					if len(st.unexpected) < 3 {
						st.unexpected = append(st.unexpected, fmt.Sprintf("%d %s %v", status, code, err))
					}
				}
			}
		}()
	}
	wg.Wait()

	var all []time.Duration
	var reads, writes, busy int
	var written int64
	for _, st := range stats {
		all = append(all, st.lat...)
		reads, writes, busy, written = reads+st.reads, writes+st.writes, busy+st.busy, written+st.written
		if st.unexpectedSeen > 0 {
			t.Errorf("%d unexpected answers, e.g. %v", st.unexpectedSeen, st.unexpected)
		}
	}
	slices.Sort(all)
	pct := func(q float64) time.Duration { return all[int(q*float64(len(all)-1))] }
	t.Logf("load: %d clients, %d databases, %v: %d requests (%d reads, %d writes, %d busy), %.0f req/s, p50 %v, p99 %v, max %v",
		clients, len(dbs), duration, len(all), reads, writes, busy, float64(len(all))/duration.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond))
	if reads == 0 || writes == 0 {
		t.Fatalf("no mix: %d reads, %d writes", reads, writes)
	}
	var stored int64
	for _, db := range dbs {
		res := mustExec(t, p.eng, db, "SELECT count(*) FROM items WHERE client >= 0")
		stored += res.Rows[0][0].(int64)
	}
	if stored != written {
		t.Fatalf("%d writes acknowledged, %d stored", written, stored)
	}
}

// loadCall posts a query and returns the status and error code.
func loadCall(hc *http.Client, url string, body any) (int, string, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("X-API-Key", adminKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode == 200 {
		return resp.StatusCode, "", err
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(raw, &e)
	return resp.StatusCode, e.Error.Code, nil
}
