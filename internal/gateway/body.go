package gateway

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/dbforge/dbforge/client"
)

// DefaultBodyTimeout is how long a client may take to send a JSON body,
// and how long a streamed body may pause, when Options sets none.
const DefaultBodyTimeout = 30 * time.Second

// DefaultMaxImportBytes bounds a streamed import body when Options sets no
// limit; the database size quota still applies underneath.
const DefaultMaxImportBytes = 10 << 30

// dropGrace is how long the server may still read a body the handler left
// unread (to keep the connection) before it closes the connection instead.
const dropGrace = time.Second

// routeImportCSV is the one route whose body is streamed rather than read
// whole: its size is bounded by MaxImportBytes, not MaxBodyBytes.
const routeImportCSV = "POST /api/db/{db}/import/csv"

// requestBody is a request body under a read deadline, so a client that
// sends headers and then stalls cannot hold a connection (and, through it,
// a call slot) for long. A body read whole must arrive within the timeout;
// a streamed one only must not pause for longer (the deadline moves on as
// data arrives).
type requestBody struct {
	src     io.ReadCloser
	rc      readDeadliner
	timeout time.Duration
	idle    bool      // streamed: the deadline is renewed as data arrives
	renewed time.Time // when the deadline was last set
	eof     bool      // read to its end
	refuse  error     // returned instead of the first byte, if set
}

// start sets the body up and starts its deadline. In embedded mode the
// writer has no connection and the deadline is a no-op: the body comes
// from this process.
func (b *requestBody) start(w http.ResponseWriter, src io.ReadCloser, timeout time.Duration) {
	// the server's own writer sets the deadline itself; a wrapped one
	// goes through a ResponseController, which unwraps it
	rc, ok := w.(readDeadliner)
	if !ok {
		rc = http.NewResponseController(w)
	}
	*b = requestBody{src: src, rc: rc, timeout: timeout}
	b.renew(time.Now())
}

func (b *requestBody) renew(now time.Time) {
	b.renewed = now
	_ = b.rc.SetReadDeadline(now.Add(b.timeout))
}

// stream switches the body to an idle deadline, for routes that consume it
// as it arrives.
func (b *requestBody) stream() {
	b.idle = true
	b.renew(time.Now())
}

func (b *requestBody) Read(p []byte) (int, error) {
	n, err := b.src.Read(p)
	if n > 0 && b.refuse != nil {
		return 0, b.refuse
	}
	switch {
	case err == io.EOF:
		b.eof = true
		// the server reads on in the background after the body (to notice
		// a client that goes away); that read must not inherit the deadline
		_ = b.rc.SetReadDeadline(time.Time{})
	case n > 0 && b.idle:
		if now := time.Now(); now.Sub(b.renewed) > b.timeout/8 {
			b.renew(now)
		}
	}
	return n, err
}

func (b *requestBody) Close() error { return b.src.Close() }

// abandon runs when the request is answered: a body not read to its end
// (a refusal before reading, a body past its limit) is not waited for
// longer than dropGrace. Past that the server gives up on the connection.
func (b *requestBody) abandon() {
	if !b.eof {
		_ = b.rc.SetReadDeadline(time.Now().Add(min(dropGrace, b.timeout)))
	}
}

// readDeadliner sets a connection's read deadline: net/http's response
// writer and http.ResponseController both do.
type readDeadliner interface {
	SetReadDeadline(time.Time) error
}

// preread is a body already read whole (before the call took a slot);
// readBody hands its bytes to the handler without copying them again.
type preread struct {
	bytes.Reader
	b []byte
}

func (*preread) Close() error { return nil }

// readBody reads the whole request body, refusing more than limit bytes.
// A body that cannot be read is 400, one that stalls past the body timeout
// 408, one too large 413.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if pb, ok := r.Body.(*preread); ok {
		return pb.b, nil
	}
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	var b []byte
	var err error
	if r.ContentLength > 0 {
		// the server never reads past Content-Length
		b = make([]byte, r.ContentLength)
		var n int
		n, err = io.ReadFull(r.Body, b)
		b = b[:n]
	} else {
		b, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err == nil && int64(len(b)) > limit {
			return nil, &http.MaxBytesError{Limit: limit}
		}
	}
	if err != nil {
		return nil, bodyReadError(err)
	}
	return b, nil
}

// bodyReadError maps an error reading a request body to its answer.
func bodyReadError(err error) error {
	var tooLarge *http.MaxBytesError
	var ae *apiError
	switch {
	case errors.As(err, &tooLarge), errors.As(err, &ae):
		return err
	case isTimeout(err):
		return &apiError{http.StatusRequestTimeout, client.CodeBodyTimeout, "The request body did not arrive in time."}
	}
	// a malformed chunked encoding, or the client went away mid-body
	return badRequest("The request body could not be read: it is malformed or ended early.")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// takeBody prepares a protected route's body before the call takes a slot:
// a streamed body gets its own size limit and an idle deadline; any other
// body is read whole now, so that a slow client waits without a slot.
func (g *Gateway) takeBody(w http.ResponseWriter, r *http.Request, pattern string) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if pattern == routeImportCSV {
		if sw, ok := w.(*statusWriter); ok && sw.body != nil {
			sw.body.stream()
		}
		if g.maxImport > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, g.maxImport)
		}
		return nil
	}
	b, err := readBody(r, g.maxBody)
	if err != nil {
		return err
	}
	var pb *preread
	if sw, ok := w.(*statusWriter); ok {
		pb = &sw.parts.pre
	} else {
		pb = new(preread)
	}
	pb.Reset(b)
	pb.b = b
	r.Body, r.ContentLength = pb, int64(len(b))
	return nil
}
