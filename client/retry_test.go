package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
)

// flaky fails its first `fails` round trips with err, then delegates.
type flaky struct {
	next  http.RoundTripper
	fails int64
	err   error
	calls atomic.Int64
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.calls.Add(1) <= f.fails {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, f.err
	}
	return f.next.RoundTrip(r)
}

func flakyClient(t *testing.T, fails int64, err error) (*client.Client, *flaky) {
	t.Helper()
	b := newBackend(t)
	f := &flaky{next: b.Transport(), fails: fails, err: err}
	c := client.New("http://embedded", client.WithTransport(f),
		client.WithRetries(3), client.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	return c, f
}

var errReset = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}

func TestRetryIdempotent(t *testing.T) {
	c, f := flakyClient(t, 2, errReset)
	if _, err := c.ListDatabases(ctxT(t), false); err != nil {
		t.Fatalf("GET after 2 failures with 3 retries: %v", err)
	}
	if n := f.calls.Load(); n != 3 {
		t.Errorf("GET attempts = %d, want 3", n)
	}
}

func TestRetryGivesUp(t *testing.T) {
	c, f := flakyClient(t, 10, errReset)
	err := c.Ping(ctxT(t))
	if !client.IsUnreachable(err) || !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("err = %v", err)
	}
	if n := f.calls.Load(); n != 4 {
		t.Errorf("attempts = %d, want 1 + 3 retries", n)
	}
}

func TestNoRetryForQuery(t *testing.T) {
	c, f := flakyClient(t, 1, errReset)
	spawnErr := func() error { _, err := c.Spawn(ctxT(t), "r"); return err }
	if err := spawnErr(); !client.IsUnreachable(err) {
		t.Fatalf("POST spawn with a reset connection: want unreachable, got %v", err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("POST attempts = %d, want 1 (never retried)", n)
	}
	if err := spawnErr(); err != nil {
		t.Fatal(err)
	}
	f.calls.Store(0)
	f.fails = 1
	if _, err := c.Query(ctxT(t), "r", client.QueryRequest{SQL: "CREATE TABLE t (x)"}); !client.IsUnreachable(err) {
		t.Errorf("query: want unreachable, got %v", err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("query attempts = %d, want 1", n)
	}
}

// A connection that could not be opened never reached the server, so even
// a POST is sent again.
func TestRetryPostWhenNeverSent(t *testing.T) {
	c, f := flakyClient(t, 2, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
	if _, err := c.Spawn(ctxT(t), "d"); err != nil {
		t.Fatalf("spawn: %v", err)
	}
	if n := f.calls.Load(); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
}

func TestRetryOnStatus(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte(`{"message":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, client.WithRetries(3), client.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	if _, err := c.Root(ctxT(t)); err != nil {
		t.Fatalf("GET after two 502s: %v", err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("GET attempts = %d, want 3", n)
	}
	calls.Store(0)
	_, err := c.Prune(ctxT(t), "x")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusBadGateway {
		t.Errorf("POST with 502: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("POST attempts = %d, want 1", n)
	}
}

func TestCancellation(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		spawn(t, c, "slow")
		done, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Query(done, "slow", client.QueryRequest{SQL: "SELECT 1"}); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled ctx: %v", err)
		}

		// an endless statement: the call must return soon after cancel
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Query(ctx, "slow", client.QueryRequest{
			SQL: "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("endless query: %v", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("returned after %v", d)
		}
		// the gateway is still usable afterwards
		exec(t, c, "slow", "SELECT 1")
	})
}

func TestTimeoutAndHeaders(t *testing.T) {
	var ua, key string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, key = r.Header.Get("User-Agent"), r.Header.Get("X-API-Key")
		if r.URL.Path == "/slow" || r.URL.Path == "/admin/databases" {
			<-r.Context().Done()
			return
		}
		w.Write([]byte(`{"message":"hi"}`))
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL+"/", client.WithTimeout(50*time.Millisecond), client.WithRetries(0),
		client.WithUserAgent("forge-test/1"), client.WithAPIKey("k1"))
	if c.BaseURL() != srv.URL {
		t.Errorf("BaseURL = %q", c.BaseURL())
	}
	if _, err := c.Root(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if ua != "forge-test/1" || key != "k1" {
		t.Errorf("User-Agent %q, X-API-Key %q", ua, key)
	}
	start := time.Now()
	_, err := c.ListDatabases(ctxT(t), false)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow call: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout took %v", d)
	}
}

// busy answers its first `busy` POSTs with the gateway's 503 SERVER_BUSY
// (Retry-After as given, "" for none), then hands every request to the
// real embedded gateway.
type busy struct {
	next       http.RoundTripper
	busy       int64
	retryAfter string
	posts      atomic.Int64
}

func (b *busy) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && b.posts.Add(1) <= b.busy {
		if r.Body != nil {
			r.Body.Close()
		}
		h := http.Header{"Content-Type": {"application/json"}}
		if b.retryAfter != "" {
			h.Set("Retry-After", b.retryAfter)
		}
		body := `{"detail":"server busy","error":{"code":"SERVER_BUSY","message":"server busy","status":503}}`
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: h, Request: r,
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
	}
	return b.next.RoundTrip(r)
}

func busyClient(t *testing.T, n int64, retryAfter string, maxWait time.Duration) (*client.Client, *busy) {
	t.Helper()
	backend := newBackend(t)
	setup := client.New("http://embedded", client.WithTransport(backend.Transport()))
	if _, err := setup.Spawn(ctxT(t), "b"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"CREATE TABLE t (x)", "INSERT INTO t VALUES (1)"} {
		if _, err := setup.Query(ctxT(t), "b", client.QueryRequest{SQL: sql}); err != nil {
			t.Fatal(err)
		}
	}
	b := &busy{next: backend.Transport(), busy: n, retryAfter: retryAfter}
	c := client.New("http://embedded", client.WithTransport(b),
		client.WithRetries(3), client.WithRetryBackoff(time.Millisecond, maxWait))
	return c, b
}

// A read sent by POST (a read_only statement, a plan) is sent again after
// 503 SERVER_BUSY, within the retry bound; a statement that may write is
// not, nor is a 503 that does not say when to come back.
func TestRetryServerBusyForReadsOnly(t *testing.T) {
	c, b := busyClient(t, 2, "1", 5*time.Millisecond)
	res, err := c.Query(ctxT(t), "b", client.QueryRequest{SQL: "SELECT count(*) FROM t", ReadOnly: true})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("read_only query after two busy answers: %v %+v", err, res)
	}
	if n := b.posts.Load(); n != 3 {
		t.Errorf("read_only query attempts = %d, want 3", n)
	}

	b.posts.Store(0)
	if _, err := c.Explain(ctxT(t), "b", client.QueryRequest{SQL: "SELECT * FROM t"}); err != nil {
		t.Fatalf("explain after two busy answers: %v", err)
	}
	if n := b.posts.Load(); n != 3 {
		t.Errorf("explain attempts = %d, want 3", n)
	}

	b.posts.Store(0)
	_, err = c.Query(ctxT(t), "b", client.QueryRequest{SQL: "SELECT count(*) FROM t"})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != client.CodeServerBusy {
		t.Fatalf("a statement that may write: %v", err)
	}
	if n := b.posts.Load(); n != 1 {
		t.Errorf("query without read_only attempts = %d, want 1 (never repeated)", n)
	}

	// bounded: past the retries the busy answer is the error
	b.posts.Store(0)
	b.busy = 10
	_, err = c.Query(ctxT(t), "b", client.QueryRequest{SQL: "SELECT 1", ReadOnly: true})
	if !errors.As(err, &ae) || ae.Code != client.CodeServerBusy {
		t.Fatalf("past the retries: %v", err)
	}
	if n := b.posts.Load(); n != 4 {
		t.Errorf("attempts = %d, want 1 + 3 retries", n)
	}

	c2, b2 := busyClient(t, 1, "", 5*time.Millisecond)
	if _, err := c2.Query(ctxT(t), "b", client.QueryRequest{SQL: "SELECT 1", ReadOnly: true}); err == nil {
		t.Fatal("a 503 without Retry-After was retried into success")
	}
	if n := b2.posts.Load(); n != 1 {
		t.Errorf("503 without Retry-After: attempts = %d, want 1", n)
	}
}

// Retry-After is honoured (up to the longest backoff), and a cancelled
// context ends the wait at once.
func TestRetryServerBusyHonoursRetryAfterAndContext(t *testing.T) {
	c, _ := busyClient(t, 1, "1", 5*time.Second)
	start := time.Now()
	if _, err := c.Query(ctxT(t), "b", client.QueryRequest{SQL: "SELECT 1", ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Errorf("retried after %v, before the Retry-After of 1 s", took)
	}

	c, _ = busyClient(t, 10, "5", 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := c.Query(ctx, "b", client.QueryRequest{SQL: "SELECT 1", ReadOnly: true})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the wait outlived its context: %v", took)
	}
}
