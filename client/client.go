// Package client is the Go SDK of the DB-Forge gateway (API.md): typed
// methods for every route, one *APIError for every error answer, retries
// only where they are safe, and fallbacks so the same code also works
// against an MK1 gateway.
//
// Remote mode talks HTTP:
//
//	c := client.New("http://127.0.0.1:8080", client.WithAPIKey(key))
//
// Embedded mode runs the gateway in-process on a data directory, with no
// server (package github.com/dbforge/dbforge/embedded):
//
//	gw, err := embedded.Open("./data", nil)
//	c := gw.Client()
//
// QueryResult.Scan reads rows into structs (`db` tags) and Maps into maps.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/go-resty/resty/v2"
)

// Client talks to one gateway. It is safe for concurrent use.
type Client struct {
	base   string
	rc     *resty.Client
	cfg    config
	urlErr error

	capsMu sync.Mutex
	caps   *Capabilities // nil until detected
}

// New returns a client for the gateway at baseURL (scheme, host and port,
// e.g. "http://127.0.0.1:8080"; a path prefix is kept). An invalid URL is
// reported by every call rather than here, so New never fails.
func New(baseURL string, opts ...Option) *Client {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{base: strings.TrimRight(baseURL, "/"), cfg: cfg, caps: cfg.caps}
	if u, err := url.Parse(c.base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.urlErr = fmt.Errorf("invalid gateway URL %q: want http(s)://host[:port]", baseURL)
	}
	hc := &http.Client{Transport: cfg.transport}
	if hc.Transport == nil {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	rc := resty.NewWithClient(hc).
		SetBaseURL(c.base).
		SetLogger(quietLogger{}).
		SetDisableWarn(true).
		SetHeader("User-Agent", cfg.userAgent).
		SetHeader("Accept", "application/json").
		SetRetryCount(cfg.retries).
		SetRetryWaitTime(cfg.retryWait).
		SetRetryMaxWaitTime(cfg.retryMaxWait).
		SetRetryAfter(retryAfter).
		AddRetryCondition(shouldRetry)
	if cfg.apiKey != "" {
		rc.SetHeader("X-API-Key", cfg.apiKey)
	}
	c.rc = rc
	return c
}

// BaseURL returns the gateway's base URL as given to New, without a
// trailing slash.
func (c *Client) BaseURL() string { return c.base }

// request is one call: method, path (segments already escaped), query and
// an optional JSON body.
type request struct {
	method string
	path   string
	query  url.Values
	body   []byte
	read   bool // a POST that only reads (a read_only statement, a plan): retried on 503 SERVER_BUSY
}

// send performs the call and returns the answer whatever its status. Only
// transport failures and a done context are errors here.
func (c *Client) send(ctx context.Context, r request) (*resty.Response, error) {
	if c.urlErr != nil {
		return nil, c.urlErr
	}
	if ctx == nil {
		return nil, errors.New("nil context")
	}
	if c.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	if r.read {
		ctx = markRead(ctx)
	}
	req := c.rc.R().SetContext(ctx)
	if r.query != nil {
		req.SetQueryParamsFromValues(r.query)
	}
	if r.body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(r.body)
	}
	resp, err := req.Execute(r.method, r.path)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctxErr)
		}
		return nil, &UnreachableError{URL: c.base, Err: unwrapURLError(err)}
	}
	return resp, nil
}

// unwrapURLError drops net/http's "Get \"url\": " prefix; the caller
// already names the gateway.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// do performs the call and turns a non-2xx answer into an *APIError.
func (c *Client) do(ctx context.Context, r request) (*resty.Response, error) {
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() < 200 || resp.StatusCode() > 299 {
		// a caller that gave up gets its own reason, not the gateway's
		// answer to the dropped request (499)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctxErr)
		}
		return nil, parseAPIError(resp.StatusCode(), resp.Body())
	}
	return resp, nil
}

// getJSON GETs path and decodes the JSON answer into out.
func (c *Client) getJSON(ctx context.Context, path string, query url.Values, out any) error {
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query})
	if err != nil {
		return err
	}
	return decodeJSON(resp.Body(), out)
}

// postJSON POSTs body (nil for none) and decodes the answer into out.
func (c *Client) postJSON(ctx context.Context, path string, body []byte, out any) (int, error) {
	resp, err := c.do(ctx, request{method: http.MethodPost, path: path, body: body})
	if err != nil {
		return 0, err
	}
	return resp.StatusCode(), decodeJSON(resp.Body(), out)
}

func decodeJSON(body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decoding gateway answer: %w", err)
	}
	return nil
}

// dbPath builds /prefix/{db}/suffix with the name escaped, refusing an
// empty name before it becomes a malformed path.
func dbPath(prefix, db, suffix string) (string, error) {
	if db == "" {
		return "", errors.New("database name is required")
	}
	return prefix + url.PathEscape(db) + suffix, nil
}

// quietLogger keeps resty silent: a library must not write to the
// terminal a TUI is drawing on.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
