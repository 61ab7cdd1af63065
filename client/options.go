package client

import (
	"net/http"
	"time"
)

// Defaults of a Client built without options.
const (
	DefaultTimeout      = 60 * time.Second
	DefaultRetries      = 2
	DefaultRetryWait    = 100 * time.Millisecond
	DefaultRetryMaxWait = 2 * time.Second
	DefaultUserAgent    = "dbforge-go-client"
)

// Option configures a Client.
type Option func(*config)

type config struct {
	apiKey       string
	timeout      time.Duration
	retries      int
	retryWait    time.Duration
	retryMaxWait time.Duration
	userAgent    string
	transport    http.RoundTripper
	caps         *Capabilities // preset: never probe
}

func defaultConfig() config {
	return config{
		timeout:      DefaultTimeout,
		retries:      DefaultRetries,
		retryWait:    DefaultRetryWait,
		retryMaxWait: DefaultRetryMaxWait,
		userAgent:    DefaultUserAgent,
	}
}

// WithAPIKey sends key in the X-API-Key header of every request.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithTimeout bounds each call, body included; 0 means no bound beyond the
// caller's context. The default is DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithRetries sets how many times a failed call is repeated, with
// exponential backoff and jitter. Only calls that are safe to repeat are:
// idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) after a transport
// error, a 429/502/504, or a 503 that carries Retry-After (a locked
// database; its wait is honoured up to the longest backoff), and any call whose
// connection could not be opened at all (so the server never saw it). A POST
// that only reads (a query sent with ReadOnly, an explain) is repeated after a
// 503 with Retry-After (SERVER_BUSY: nothing ran); any other POST that may
// have reached the server, such as a query that may write, is never
// repeated. A cancelled context ends the wait. 0 disables retries.
func WithRetries(n int) Option {
	return func(c *config) { c.retries = max(n, 0) }
}

// WithRetryBackoff sets the first and the longest wait between retries.
func WithRetryBackoff(first, longest time.Duration) Option {
	return func(c *config) { c.retryWait, c.retryMaxWait = first, longest }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithTransport sends requests through rt instead of the network: for
// embedded mode, tests, or a custom http.Transport (proxies, TLS).
func WithTransport(rt http.RoundTripper) Option { return func(c *config) { c.transport = rt } }

// WithCapabilities tells the client what the gateway can do, so it never
// probes GET /health to find out: for a gateway the program itself runs
// (embedded mode), where the probe would be pointless work.
func WithCapabilities(caps Capabilities) Option {
	return func(c *config) { c.caps = &caps }
}
