package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
)

// stall opens a real TCP connection to the fixture's server and sends a
// request's headers and the first part of its body, then nothing more.
func (f *fixture) stall(method, path, key, contentType string, partial string) net.Conn {
	f.t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		method, path, key, contentType, len(partial)+1000, partial)
	return c
}

// answerOf reads the status of the answer on a stalled connection, or 0
// if the server closed it without one.
func answerOf(t *testing.T, c net.Conn, wait time.Duration) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("no answer and no close within %v", wait)
		}
		return 0 // closed
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestStalledBodiesDoNotLockDatabase: 80 connections of one key send
// headers and part of a body, then stall. Before the fix each held a slot
// of the database (64), and the admin got 429 for minutes. Now bodies are
// read before a slot is taken: the admin's query is answered at once, and
// the stalled calls end with 408 (or a closed connection) after the body
// timeout.
func TestStalledBodiesDoNotLockDatabase(t *testing.T) {
	const timeout = 1500 * time.Millisecond
	f := newFixtureConfig(t, engine.Config{MaxConcurrent: 64}, Options{BodyTimeout: timeout})
	f.spawn("shop")
	f.exec("shop", "CREATE TABLE t(a)")
	key, _ := f.createKey("tenant", "readwrite", "shop")

	start := time.Now()
	conns := make([]net.Conn, 80)
	for i := range conns {
		conns[i] = f.stall("POST", "/api/db/shop/query", key, "application/json", `{"sql": "SELECT`)
	}
	time.Sleep(300 * time.Millisecond) // every stalled request has reached the gateway

	for _, who := range []string{f.key, key} {
		t0 := time.Now()
		r := f.as(who, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1 AS one"})
		if took := time.Since(t0); took > time.Second {
			t.Fatalf("query took %v while bodies stall", took)
		}
		f.expect(r, 200, "")
	}

	var wg sync.WaitGroup
	statuses := make([]int, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = answerOf(t, c, timeout+3*time.Second)
		}()
	}
	wg.Wait()
	if took := time.Since(start); took < timeout {
		t.Fatalf("stalled calls ended after %v, before the body timeout", took)
	}
	for i, s := range statuses {
		if s != http.StatusRequestTimeout && s != 0 {
			t.Fatalf("stalled call %d: status %d, want 408 or closed", i, s)
		}
	}
	// the database still serves everyone
	f.expect(f.as(key, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"}), 200, "")
}

// TestStalledImportsAreBoundedPerKey: streamed import bodies cannot be
// read before the call, so they hold slots while they stall; the per-key
// limit leaves the rest of the database to other keys, and the idle
// deadline ends them.
func TestStalledImportsAreBoundedPerKey(t *testing.T) {
	const timeout = 1500 * time.Millisecond
	f := newFixtureConfig(t, engine.Config{MaxConcurrent: 64}, Options{BodyTimeout: timeout, MaxConcurrentPerKey: 16})
	f.spawn("shop")
	key, _ := f.createKey("tenant", "readwrite", "shop")

	conns := make([]net.Conn, 80)
	for i := range conns {
		conns[i] = f.stall("POST", "/api/db/shop/import/csv?table=t", key, "text/csv", "a,b\n1,2\n")
	}
	time.Sleep(300 * time.Millisecond)

	t0 := time.Now()
	f.expect(f.do("POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"}), 200, "")
	if took := time.Since(t0); took > time.Second {
		t.Fatalf("admin query took %v", took)
	}
	// the tenant's own further calls are refused at once, not queued
	r := f.as(key, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"})
	f.expect(r, 429, "Too many calls running for this API key; retry shortly.")

	counts := map[int]int{}
	for _, c := range conns {
		counts[answerOf(t, c, timeout+3*time.Second)]++
	}
	// 16 held a slot until the idle deadline (408), 64 were refused (429)
	if counts[429] != 64 || counts[408]+counts[0] != 16 {
		t.Fatalf("answers: %v", counts)
	}
	f.expect(f.as(key, "POST", "/api/db/shop/query", map[string]any{"sql": "SELECT 1"}), 200, "")
}

// TestStreamedImportKeepsGoingWhileDataFlows: the import deadline is an
// idle one, so an import longer than the body timeout succeeds as long as
// data keeps coming.
func TestStreamedImportKeepsGoingWhileDataFlows(t *testing.T) {
	const timeout = 400 * time.Millisecond
	f := newFixture(t, Options{BodyTimeout: timeout})
	f.spawn("d")
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "id,v\n")
		for i := range 12 { // 12 × 100 ms: three times the timeout
			fmt.Fprintf(pw, "%d,x\n", i)
			time.Sleep(100 * time.Millisecond)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/db/d/import/csv?table=t", pr)
	req.Header.Set("X-API-Key", f.key)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"rows_imported":12`) {
		t.Fatalf("slow but steady import: %d %s", resp.StatusCode, body)
	}
}

// TestUnknownDatabaseHoldsNothing: a call aimed at a database that does
// not exist is answered before its body is read, so a stalled body holds
// neither a slot nor, past the answer, the connection.
func TestUnknownDatabaseHoldsNothing(t *testing.T) {
	f := newFixture(t, Options{BodyTimeout: 10 * time.Second})
	t0 := time.Now()
	c := f.stall("POST", "/api/db/nope/query", f.key, "application/json", `{"sql": `)
	if s := answerOf(t, c, 3*time.Second); s != 404 {
		t.Fatalf("status %d, want 404", s)
	}
	if took := time.Since(t0); took > 2*time.Second {
		t.Fatalf("answered after %v", took)
	}
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Fatalf("connection kept open after the answer: %v", err)
	}
}
