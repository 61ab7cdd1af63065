package embedded

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// roundTrip sends a request through tr with ctx.
func roundTrip(t *testing.T, tr http.RoundTripper, ctx context.Context, method, url string, body io.Reader) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return tr.RoundTrip(req)
}

func within(t *testing.T, d time.Duration, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("%s did not happen within %v", what, d)
	}
}

// The header and the first chunk arrive while the handler is still
// writing: the response is streamed, not buffered.
func TestTransportStreamsResponse(t *testing.T) {
	release := make(chan struct{})
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("first\n"))
		<-release
		w.Write([]byte("second\n"))
	}))
	t.Cleanup(tr.close)
	resp, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("X-Test") != "yes" || resp.ContentLength != -1 {
		t.Fatalf("resp = %d %v %d", resp.StatusCode, resp.Header, resp.ContentLength)
	}
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "first\n" {
		t.Fatalf("first chunk = %q, %v", line, err)
	}
	close(release)
	rest, err := io.ReadAll(br)
	if err != nil || string(rest) != "second\n" {
		t.Fatalf("rest = %q, %v", rest, err)
	}
}

// The handler reads the request body while the client is still writing it.
func TestTransportStreamsRequest(t *testing.T) {
	got := make(chan string, 2)
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		br := bufio.NewReader(r.Body)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				break
			}
			got <- line
		}
		w.Write([]byte("done"))
	}))
	t.Cleanup(tr.close)
	pr, pw := io.Pipe()
	respCh := make(chan *http.Response, 1)
	go func() {
		resp, err := roundTrip(t, tr, context.Background(), "POST", BaseURL+"/up", pr)
		if err != nil {
			pr.CloseWithError(err)
			close(respCh)
			return
		}
		respCh <- resp
	}()
	pw.Write([]byte("one\n"))
	select {
	case line := <-got:
		if line != "one\n" {
			t.Fatalf("got %q", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler did not see the first line before the body ended")
	}
	pw.Write([]byte("two\n"))
	pw.Close()
	resp := <-respCh
	if resp == nil {
		t.Fatal("round trip failed")
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "done" || <-got != "two\n" {
		t.Errorf("body %q", b)
	}
}

// Cancelling the request's context ends a pending round trip at once and
// cancels the handler's context.
func TestTransportCancel(t *testing.T) {
	handlerDone := make(chan struct{})
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handlerDone)
		<-r.Context().Done()
	}))
	t.Cleanup(tr.close)
	ctx, cancel := context.WithCancel(context.Background())
	errCh := make(chan error, 1)
	go func() {
		_, err := roundTrip(t, tr, ctx, "GET", BaseURL+"/slow", nil)
		errCh <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-errCh:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("round trip did not return after cancel")
	}
	within(t, 5*time.Second, "handler context cancellation", handlerDone)
}

// Closing the body early tells the handler the client went away.
func TestTransportBodyCloseStopsHandler(t *testing.T) {
	writeErr := make(chan error, 1)
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("x"))
		for {
			if _, err := w.Write(make([]byte, 1024)); err != nil {
				writeErr <- err
				return
			}
		}
	}))
	t.Cleanup(tr.close)
	resp, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/endless", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Read(make([]byte, 1))
	resp.Body.Close()
	select {
	case err := <-writeErr:
		if err == nil {
			t.Error("write after close succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler kept writing after the body was closed")
	}
}

// A handler that aborts (http.ErrAbortHandler) fails the round trip; it
// does not crash the process.
func TestTransportAbort(t *testing.T) {
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/late" {
			w.Write([]byte("partial"))
		}
		panic(http.ErrAbortHandler)
	}))
	t.Cleanup(tr.close)
	if _, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/early", nil); !errors.Is(err, errAborted) {
		t.Errorf("early abort: %v", err)
	}
	resp, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/late", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, errAborted) || string(b) != "partial" {
		t.Errorf("late abort: %q, %v", b, err)
	}
}

// A handler that writes nothing answers 200 with an empty body; the server
// side sees a proper server request.
func TestTransportRequestShape(t *testing.T) {
	var seen *http.Request
	var body string
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}))
	t.Cleanup(tr.close)
	resp, err := roundTrip(t, tr, context.Background(), "PUT", BaseURL+"/a%2Fb/c?x=1", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(b) != 0 {
		t.Errorf("resp = %d %q", resp.StatusCode, b)
	}
	if seen.RequestURI != "/a%2Fb/c?x=1" || seen.Host != "embedded" || seen.ContentLength != 5 || body != "hello" || seen.RemoteAddr == "" {
		t.Errorf("server request: uri %q host %q len %d body %q", seen.RequestURI, seen.Host, seen.ContentLength, body)
	}
}

// Close aborts in-flight requests and refuses new ones.
func TestTransportClose(t *testing.T) {
	started := make(chan struct{})
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	}))
	errCh := make(chan error, 1)
	go func() {
		_, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/", nil)
		errCh <- err
	}()
	within(t, 5*time.Second, "handler start", started)
	closed := make(chan struct{})
	go func() { tr.close(); close(closed) }()
	within(t, 5*time.Second, "close", closed)
	if err := <-errCh; !errors.Is(err, ErrClosed) {
		t.Errorf("in-flight: %v", err)
	}
	if _, err := roundTrip(t, tr, context.Background(), "GET", BaseURL+"/", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v", err)
	}
}

// An outgoing body of unknown length (ContentLength 0, Body set) reaches
// the handler as a real server would pass it: none when it is empty (so
// the open gateway's Content-Type rule does not apply), whole otherwise.
func TestTransportProbesUnknownLengthBodies(t *testing.T) {
	type seen struct {
		noBody bool
		body   string
	}
	got := make(chan seen, 1)
	tr := newTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Body == http.NoBody, string(b)}
	}))
	defer tr.close()
	for _, c := range []struct {
		body   io.Reader
		noBody bool
		want   string
	}{
		{io.NopCloser(strings.NewReader("")), true, ""},
		{io.NopCloser(strings.NewReader("abc")), false, "abc"},
		{nil, true, ""},
	} {
		req, _ := http.NewRequest("POST", BaseURL+"/", nil)
		if c.body != nil {
			req.Body, req.ContentLength = io.NopCloser(c.body), 0
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if s := <-got; s.noBody != c.noBody || s.body != c.want {
			t.Errorf("body %q: handler saw NoBody=%v %q", c.want, s.noBody, s.body)
		}
	}
}
