package embedded

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// ErrClosed is returned for requests made after Backend.Close.
var ErrClosed = errors.New("embedded backend is closed")

// errAborted ends a response whose handler panicked (the gateway recovers
// every panic except http.ErrAbortHandler, which means exactly this).
var errAborted = errors.New("embedded: handler aborted the response")

// transport serves each request by calling the handler in a goroutine.
// The request body is handed to the handler as is and the response body is
// an io.Pipe, so both stream: nothing is buffered whole.
type transport struct {
	h http.Handler

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup // in-flight handlers

	base   context.Context // cancelled by close: aborts in-flight requests
	cancel context.CancelFunc
}

func newTransport(h http.Handler) *transport {
	base, cancel := context.WithCancel(context.Background())
	return &transport{h: h, base: base, cancel: cancel}
}

// close refuses new requests, aborts in-flight ones and waits for their
// handlers to return.
func (t *transport) close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.cancel()
	t.wg.Wait()
}

// RoundTrip implements http.RoundTripper. It returns once the handler has
// written the header; the body then streams from the handler's writes. The
// request's context cancels the handler's context and the body.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		closeBody(req)
		return nil, ErrClosed
	}
	t.wg.Add(1)
	t.mu.Unlock()

	ctx, cancel := context.WithCancelCause(req.Context())
	stopClose := context.AfterFunc(t.base, func() { cancel(ErrClosed) })
	pr, pw := io.Pipe()
	// any end of the request's context ends the body for both sides
	stopPipe := context.AfterFunc(ctx, func() { pr.CloseWithError(context.Cause(ctx)) })

	w := &pipeWriter{header: http.Header{}, pw: pw, ready: make(chan struct{})}
	go func() {
		defer t.wg.Done()
		defer cancel(nil)
		defer stopClose()
		t.serve(w, serverRequest(ctx, req))
		stopPipe()
		closeBody(req)
	}()

	select {
	case <-w.ready:
	case <-ctx.Done():
		select {
		case <-w.ready: // the handler finished just as ctx ended: keep its answer
		default:
			return nil, context.Cause(ctx)
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          &body{pr: pr, cancel: cancel},
		ContentLength: contentLength(w.sent),
		Request:       req,
	}, nil
}

// serve runs the handler and finishes the response: an implicit 200 for a
// handler that wrote nothing (unless the request was cancelled: then the
// cause), EOF when it returns, an error if it panics.
func (t *transport) serve(w *pipeWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			w.abort(errAborted)
			return
		}
		if w.sent == nil && r.Context().Err() != nil {
			w.abort(context.Cause(r.Context()))
			return
		}
		w.WriteHeader(http.StatusOK)
		w.pw.Close()
	}()
	t.h.ServeHTTP(w, r)
}

// serverRequest turns an outgoing request into what a server handler
// receives.
func serverRequest(ctx context.Context, req *http.Request) *http.Request {
	r := req.Clone(ctx)
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:0"
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	if r.Body == nil || r.Body == http.NoBody {
		r.Body = http.NoBody // no body, as a server would say it
		return r
	}
	var body io.Reader = r.Body
	if r.ContentLength == 0 {
		// outgoing 0 with a body means unknown: probe it as net/http's
		// transport does, so an empty body arrives as none
		var first [1]byte
		n, err := io.ReadFull(r.Body, first[:])
		if n == 0 && errors.Is(err, io.EOF) {
			r.Body = http.NoBody
			return r
		}
		r.ContentLength = -1
		body = io.MultiReader(bytes.NewReader(first[:n]), errReader{err}, r.Body)
	}
	r.Body = noClose{body} // the transport closes it, once the handler is done
	return r
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func contentLength(h http.Header) int64 {
	if s := h.Get("Content-Length"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return -1
}

// errReader returns err (if any) where a body probe met it, so a body
// that fails at once still fails for the handler.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err == nil {
		return 0, io.EOF
	}
	return 0, e.err
}

// noClose keeps a handler from closing the caller's body under the caller.
type noClose struct{ io.Reader }

func (noClose) Close() error { return nil }

// body is the response body: closing it early tells the handler the client
// went away (its writes fail and its context is cancelled).
type body struct {
	pr     *io.PipeReader
	cancel context.CancelCauseFunc
}

func (b *body) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *body) Close() error {
	b.pr.Close()
	b.cancel(context.Canceled)
	return nil
}

// pipeWriter is the handler's http.ResponseWriter: the header is handed to
// RoundTrip on the first WriteHeader, the body goes into the pipe.
type pipeWriter struct {
	header http.Header
	sent   http.Header // snapshot taken by WriteHeader
	status int
	pw     *io.PipeWriter
	once   sync.Once
	ready  chan struct{} // closed when the header (or err) is set
	err    error
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(code int) {
	if code < 200 { // informational answers are not forwarded
		return
	}
	w.once.Do(func() {
		w.status = code
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush sends the header if it was not yet; pipe writes are never held
// back, so there is nothing else to flush.
func (w *pipeWriter) Flush() { w.WriteHeader(http.StatusOK) }

// abort fails the response: RoundTrip returns err if the header was not
// sent yet, else the body read fails with it.
func (w *pipeWriter) abort(err error) {
	w.once.Do(func() {
		w.err = err
		close(w.ready)
	})
	w.pw.CloseWithError(err)
}
