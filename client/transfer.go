package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// errorBodyLimit bounds how much of an error answer is read.
const errorBodyLimit = 64 << 10

// TransferOption tunes one export or import.
type TransferOption func(*transferConfig)

type transferConfig struct {
	progress func(bytes int64)
	csvNull  string
}

// WithCSVNull sets the string a CSV export writes for NULL (unquoted; a
// value equal to it is quoted). The default is the empty string: NULL is
// an unquoted empty field and the empty string is "". Only ExportCSV uses
// it; imports take ImportCSVOptions.Null.
func WithCSVNull(null string) TransferOption {
	return func(c *transferConfig) { c.csvNull = null }
}

// WithProgress calls fn with the running total of bytes moved (received
// for an export, sent for an import) after every chunk. fn runs on the
// goroutine doing the transfer and must be quick; throttle any redraw in it.
func WithProgress(fn func(bytes int64)) TransferOption {
	return func(c *transferConfig) { c.progress = fn }
}

func transferOpts(opts []TransferOption) transferConfig {
	var cfg transferConfig
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// stream performs a call whose request or answer body is a stream, outside
// resty so that nothing is buffered whole. Only ctx bounds it: the
// client's per-call timeout (WithTimeout) would cut a long transfer short.
// Streams are never retried. A non-2xx answer is read (bounded) into an
// *APIError; a 2xx answer is returned with its body open for the caller.
func (c *Client) stream(ctx context.Context, method, path string, query url.Values, contentType string, body io.Reader) (*http.Response, error) {
	if c.urlErr != nil {
		return nil, c.urlErr
	}
	if ctx == nil {
		return nil, errors.New("nil context")
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.userAgent)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cfg.apiKey != "" {
		req.Header.Set("X-API-Key", c.cfg.apiKey)
	}
	resp, err := c.rc.GetClient().Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, ctxErr)
		}
		return nil, &UnreachableError{URL: c.base, Err: unwrapURLError(err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, ctxErr)
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
		return nil, parseAPIError(resp.StatusCode, raw)
	}
	return resp, nil
}

// download streams the answer of GET path into w and returns the bytes
// written. An answer cut short (the gateway aborts a failing export
// mid-stream) is an error, never a silently truncated file.
func (c *Client) download(ctx context.Context, feature, path string, query url.Values, w io.Writer, opts []TransferOption) (int64, error) {
	return c.downloadFrom(ctx, feature, http.MethodGet, path, query, nil, w, opts)
}

// downloadFrom is download for any method; a non-nil body is sent as JSON.
func (c *Client) downloadFrom(ctx context.Context, feature, method, path string, query url.Values, body []byte, w io.Writer, opts []TransferOption) (int64, error) {
	if w == nil {
		return 0, errors.New("nil writer")
	}
	if err := c.requireExtended(ctx, feature); err != nil {
		return 0, err
	}
	cfg := transferOpts(opts)
	var reqBody io.Reader
	contentType := ""
	if body != nil {
		reqBody, contentType = bytes.NewReader(body), "application/json"
	}
	resp, err := c.stream(ctx, method, path, query, contentType, reqBody)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	cw := &countingWriter{w: w, progress: cfg.progress}
	n, err := io.Copy(cw, resp.Body)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return n, fmt.Errorf("%s interrupted after %d bytes: %w", feature, n, ctxErr)
		}
		if cw.err != nil {
			return n, fmt.Errorf("%s: writing after %d bytes: %w", feature, n, cw.err)
		}
		return n, fmt.Errorf("%s ended early after %d bytes (the gateway aborted it): %w", feature, n, unwrapURLError(err))
	}
	return n, nil
}

// upload streams r as the body of POST path and decodes the JSON answer
// into out.
func (c *Client) upload(ctx context.Context, feature, path string, query url.Values, contentType string, r io.Reader, out any, opts []TransferOption) error {
	if r == nil {
		return errors.New("nil reader")
	}
	if err := c.requireExtended(ctx, feature); err != nil {
		return err
	}
	cfg := transferOpts(opts)
	// wrapped in a type of its own so net/http never treats a caller's
	// *os.File specially, and Close on it stays the caller's business
	cr := &countingReader{r: r, progress: cfg.progress}
	resp, err := c.stream(ctx, http.MethodPost, path, query, contentType, cr)
	if err != nil {
		if cr.err != nil && !errors.Is(cr.err, io.EOF) {
			return fmt.Errorf("%s: reading input after %d bytes: %w", feature, cr.n, cr.err)
		}
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", feature, err)
	}
	return decodeJSON(raw, out)
}

// countingWriter counts bytes on their way to w and reports progress.
type countingWriter struct {
	w        io.Writer
	n        int64
	err      error
	progress func(int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}

// countingReader counts bytes read from r and reports progress.
type countingReader struct {
	r        io.Reader
	n        int64
	err      error
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.err = err
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}

// ExportCSV streams table (or view) as CSV with a header line into w and
// returns the bytes written. Memory stays constant whatever the table's
// size; only ctx bounds the transfer. DB-Forge extension: ErrUnsupported
// on MK1.
func (c *Client) ExportCSV(ctx context.Context, db, table string, w io.Writer, opts ...TransferOption) (int64, error) {
	path, err := exportPath(db, table, "csv")
	if err != nil {
		return 0, err
	}
	q := url.Values{"table": {table}}
	if null := transferOpts(opts).csvNull; null != "" {
		q.Set("null", null)
	}
	return c.download(ctx, "export CSV", path, q, w, opts)
}

// ExportJSON streams table (or view) into w as one JSON array of objects,
// or as NDJSON (one object per line) when ndjson is true, and returns the
// bytes written. Values follow the wire conventions (BLOBs as
// {"$blob": base64}). DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) ExportJSON(ctx context.Context, db, table string, ndjson bool, w io.Writer, opts ...TransferOption) (int64, error) {
	path, err := exportPath(db, table, "json")
	if err != nil {
		return 0, err
	}
	q := url.Values{"table": {table}, "ndjson": {strconv.FormatBool(ndjson)}}
	return c.download(ctx, "export JSON", path, q, w, opts)
}

// ExportSQL streams a full SQL dump of db (schema and data) into w and
// returns the bytes written; ImportSQL of the dump into an empty database
// rebuilds an identical one. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) ExportSQL(ctx context.Context, db string, w io.Writer, opts ...TransferOption) (int64, error) {
	path, err := dbPath("/api/db/", db, "/export/sql")
	if err != nil {
		return 0, err
	}
	return c.download(ctx, "export SQL", path, nil, w, opts)
}

func exportPath(db, table, format string) (string, error) {
	if table == "" {
		return "", errors.New("table name is required")
	}
	return dbPath("/api/db/", db, "/export/"+format)
}

// ImportCSV streams CSV from r into opts.Table in one transaction: a bad
// row aborts the whole import and the error names its line. The body is
// sent as it is read, never held whole. DB-Forge extension:
// ErrUnsupported on MK1.
func (c *Client) ImportCSV(ctx context.Context, db string, r io.Reader, opts ImportCSVOptions, topts ...TransferOption) (*ImportResult, error) {
	path, err := dbPath("/api/db/", db, "/import/csv")
	if err != nil {
		return nil, err
	}
	if opts.Table == "" {
		return nil, errors.New("table name is required")
	}
	q := url.Values{
		"table":  {opts.Table},
		"header": {strconv.FormatBool(!opts.NoHeader)},
		"create": {strconv.FormatBool(!opts.NoCreate)},
	}
	switch d := opts.Delimiter; d {
	case 0, ',':
	case '\t':
		q.Set("delimiter", "tab")
	default:
		if d == '\r' || d == '\n' || d == '"' || d < 0 {
			return nil, fmt.Errorf("invalid CSV delimiter %q", d)
		}
		q.Set("delimiter", string(d))
	}
	if opts.Null != "" {
		q.Set("null", opts.Null)
	}
	var out ImportResult
	if err := c.upload(ctx, "import CSV", path, q, "text/csv", r, &out, topts); err != nil {
		return nil, err
	}
	return &out, nil
}

// ImportSQL runs the SQL script read from r (statements separated by ';')
// in one transaction: an error rolls everything back and names the
// failing statement. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) ImportSQL(ctx context.Context, db string, r io.Reader, opts ...TransferOption) (*ScriptResult, error) {
	path, err := dbPath("/api/db/", db, "/import/sql")
	if err != nil {
		return nil, err
	}
	var out ScriptResult
	if err := c.upload(ctx, "import SQL", path, nil, "application/sql", r, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}
