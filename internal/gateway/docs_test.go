package gateway

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// TestDocsPage: /docs is an HTML page served with text/html, open (no
// key), listing every route the mux serves, and loading nothing from
// anywhere (no external URL, a CSP that forbids it).
func TestDocsPage(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.doWith("GET", "/docs", nil, nil) // no key: an open route
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", r.status, r.header.Get("Content-Type"))
	}
	page := string(r.raw)
	if !strings.HasPrefix(page, "<!doctype html>") || !strings.Contains(page, "</html>") {
		t.Fatalf("not an HTML page: %.200s", page)
	}
	text := html.UnescapeString(page)
	for _, p := range f.gw.Patterns() {
		method, path, _ := strings.Cut(strings.Replace(p, "/{$}", "/", 1), " ")
		if !strings.Contains(text, method+" "+path+"</code>") {
			t.Errorf("route %s %s not on the page", method, path)
		}
	}
	for _, want := range []string{"QueryRequest", "table_name", "X-API-Key", "needs an API key", "open (no key)", `id="schema-Error"`} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// offline: no absolute or protocol-relative URL anywhere, no script
	if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]`).FindString(page); m != "" {
		t.Errorf("external URL %q on the page", m)
	}
	if m := regexp.MustCompile(`(?i)<script|@import|url\(|<link|<img|<iframe`).FindString(page); m != "" {
		t.Errorf("page loads something: %q", m)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	// HEAD and other methods: GET only
	if r := f.doWith("POST", "/docs", nil, nil); r.status != 405 {
		t.Errorf("POST /docs: %d", r.status)
	}
}

// TestDocsEscapes: text from the document goes through html/template, so
// a version string cannot inject markup.
func TestDocsEscapes(t *testing.T) {
	f := newFixture(t, Options{Version: `<script>alert(1)</script>`})
	r := f.doWith("GET", "/docs", nil, nil)
	if strings.Contains(string(r.raw), "<script>") || !strings.Contains(string(r.raw), "&lt;script&gt;") {
		t.Fatalf("version not escaped: %.400s", r.raw)
	}
}
