package mcp

import (
	"log/slog"
	"net/http"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/gateway"
)

// Path is where `dbforge serve` mounts the MCP endpoint.
const Path = "/mcp"

// KeyForwarding returns a Client function for Options that builds, per
// call, a client over rt (an in-process transport to the gateway) carrying
// the key the MCP request came with (X-API-Key or Authorization: Bearer).
// The gateway then applies that key's role and scope to every tool call.
func KeyForwarding(rt http.RoundTripper, version string) func(http.Header) *client.Client {
	return func(h http.Header) *client.Client {
		// the gateway in-process is DB-Forge's own: no capability probe per call
		opts := []client.Option{client.WithTransport(rt), client.WithRetries(0), client.WithUserAgent("dbforge-mcp/" + version),
			client.WithCapabilities(client.Capabilities{Extended: true, Version: version})}
		if key, ok := auth.FromRequest(&http.Request{Header: h}); ok && key != "" {
			opts = append(opts, client.WithAPIKey(key))
		}
		return client.New(embedded.BaseURL, opts...)
	}
}

// HTTPHandler serves srv over MCP's streamable HTTP transport. It is
// stateless: each request is served on its own with the key it carries, so
// a session can never run under a key other than the one of the request.
// Wrap it with the gateway's RequireKey so requests without a valid key
// are refused before MCP sees them.
//
// keyed says the gateway requires keys. Without keys the SDK's DNS
// rebinding protection stays on (a request reaching a loopback address
// with another Host is refused: a web page cannot drive an open local
// gateway); with keys it is off, as a web page has no key, and a reverse
// proxy on the same host must be able to forward /mcp.
func HTTPHandler(srv *sdk.Server, keyed bool) http.Handler {
	return sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv },
		&sdk.StreamableHTTPOptions{Stateless: true, JSONResponse: true, DisableLocalhostProtection: keyed})
}

// Mount returns gw with the MCP endpoint at Path beside it, as `dbforge
// serve` serves them. The tools call gw in-process with the caller's own
// key, so they may do exactly what that key may do over REST; a request
// to Path without a valid key gets the gateway's 401. close ends the
// in-process transport; call it after the HTTP server has stopped.
func Mount(gw *gateway.Gateway, version string, logger *slog.Logger) (h http.Handler, close func()) {
	rt := embedded.NewHandlerTransport(gw)
	srv := New(Options{Version: version, Client: KeyForwarding(rt, version), Logger: logger})
	endpoint := gw.RequireKey(HTTPHandler(srv, gw.RequiresKey()))
	// not a ServeMux: it would redirect unclean paths, which the gateway
	// refuses on purpose
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == Path {
			endpoint.ServeHTTP(w, r)
			return
		}
		gw.ServeHTTP(w, r)
	}), rt.Close
}
