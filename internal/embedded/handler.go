package embedded

import "net/http"

// HandlerTransport is the in-process RoundTripper over any handler: what a
// Backend uses, for a gateway built elsewhere (the one `dbforge serve`
// runs, which its /mcp tools call in-process with the caller's key).
type HandlerTransport struct{ t *transport }

// NewHandlerTransport serves requests from h; use it with BaseURL.
func NewHandlerTransport(h http.Handler) *HandlerTransport {
	return &HandlerTransport{t: newTransport(h)}
}

// RoundTrip implements http.RoundTripper.
func (h *HandlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return h.t.RoundTrip(r)
}

// Close refuses new requests, aborts in-flight ones and waits for them.
func (h *HandlerTransport) Close() { h.t.close() }
