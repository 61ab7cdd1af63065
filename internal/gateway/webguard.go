package gateway

import (
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/dbforge/dbforge/client"
)

// hosts is the set of Host names an open gateway answers: loopback names
// always, plus the names the operator allows.
type hosts struct {
	any  bool            // "*": every name (the operator's explicit choice)
	list map[string]bool // lower-case, a bare name or name:port
}

func newHosts(allowed []string) hosts {
	h := hosts{list: map[string]bool{}}
	for _, s := range allowed {
		switch s = strings.ToLower(strings.TrimSpace(s)); s {
		case "":
		case "*":
			h.any = true
		default:
			h.list[s] = true
		}
	}
	return h
}

// allows reports whether a request's Host header names this gateway.
func (h hosts) allows(hostport string) bool {
	hostport = strings.ToLower(hostport)
	host := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		host = hh
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	// *.localhost names are loopback by definition (RFC 6761): browsers
	// resolve them locally, so no page elsewhere can be served under one
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || h.any || h.list[host] || h.list[hostport] {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuseWebPage protects a gateway without keys from web pages, where the
// browser, not the user, decides what is sent: DNS rebinding (a page of
// evil.example whose name now resolves to 127.0.0.1) is caught by the Host
// check, a cross-origin request by the Origin check, and a form or
// text/plain POST that a browser without Origin support would still send
// by the Content-Type check. With keys none of this applies: a page cannot
// get the key.
func (g *Gateway) refuseWebPage(r *http.Request) *apiError {
	if g.authn != nil {
		return nil
	}
	if !g.hosts.allows(r.Host) {
		return forbidden("This gateway runs without API keys and answers only loopback host names; add this host to --allowed-hosts to allow it.")
	}
	if o := r.Header.Get("Origin"); o != "" && !g.origins.allows(o) && !sameOrigin(o, r) {
		return forbidden("This gateway runs without API keys and answers web pages only of origins listed in --cors-origins.")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && browserFormType(ct) {
		return errFormBody // even empty: a form POST needs no body to prune
	}
	return nil
}

// errFormBody refuses, in open mode, a body a page could have sent. A body
// with no Content-Type at all is refused once it turns out not to be empty
// (requestBody), since clients send empty bodies without one.
var errFormBody = &apiError{http.StatusUnsupportedMediaType, client.CodeUnsupportedMedia,
	"This gateway runs without API keys: a request body needs a Content-Type such as application/json (text/csv, application/sql for imports), not a form or text/plain type."}

// untypedBodyRefused reports whether a body without a Content-Type must be
// refused as soon as it holds a byte.
func (g *Gateway) untypedBodyRefused(r *http.Request) bool {
	return g.authn == nil && r.Header.Get("Content-Type") == ""
}

// sameOrigin reports whether origin is the gateway's own address as the
// request names it (a page the gateway served itself).
func sameOrigin(origin string, r *http.Request) bool {
	o := normalOrigin(origin)
	host := strings.ToLower(r.Host)
	return o == "http://"+host || o == "https://"+host
}

// browserFormType reports whether a Content-Type is one a page of any
// origin may send without a CORS preflight, so its arrival proves nothing
// about who sent it.
func browserFormType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true
	}
	switch mt {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return true
	}
	return false
}
