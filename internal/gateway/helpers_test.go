package gateway

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

const testKey = "dbf_test-key-0123456789"

// fixture is a gateway over a real engine in a temp dir, served on loopback.
type fixture struct {
	t   *testing.T
	eng *engine.Engine
	gw  *Gateway
	srv *httptest.Server
	key string
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	return newFixtureConfig(t, engine.Config{}, opts)
}

// newFixtureConfig is newFixture with engine limits.
func newFixtureConfig(t *testing.T, cfg engine.Config, opts Options) *fixture {
	t.Helper()
	cfg.DataDir = t.TempDir()
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if opts.AdminKeyHash == nil {
		opts.AdminKeyHash = auth.Hash(testKey)
	}
	gw := New(eng, opts)
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &fixture{t: t, eng: eng, gw: gw, srv: srv, key: testKey}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
	list   []any
}

func (r response) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func (r response) code() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// do sends a request with the fixture's key. body may be a string (sent
// as is) or any value (JSON-encoded).
func (f *fixture) do(method, path string, body any) response {
	return f.doWith(method, path, body, map[string]string{"X-API-Key": f.key})
}

func (f *fixture) doWith(method, path string, body any, headers map[string]string) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	// raw paths like /a/%2F/b must reach the server as written
	if strings.Contains(path, "%") {
		req.URL.Opaque = strings.SplitN(path, "?", 2)[0]
	}
	return f.send(req)
}

// send sends a request built by the test and decodes the answer.
func (f *fixture) send(req *http.Request) response {
	f.t.Helper()
	method, path := req.Method, req.URL.Path
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			f.t.Fatalf("%s %s: invalid JSON %q: %v", method, path, raw, err)
		}
		switch x := v.(type) {
		case map[string]any:
			out.body = x
		case []any:
			out.list = x
		}
	}
	return out
}

// expect fails unless the response has the status (and, when given, the
// detail of an error or the message of a success).
func (f *fixture) expect(r response, status int, detail string) {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	key := "detail"
	if status < 400 {
		key = "message"
	}
	if detail != "" && r.str(key) != detail {
		f.t.Fatalf("%s %q, want %q", key, r.str(key), detail)
	}
	if status >= 400 {
		e, ok := r.body["error"].(map[string]any)
		if !ok || e["message"] != r.body["detail"] || e["status"] != json.Number(itoa3(status)) || e["code"] == "" {
			f.t.Fatalf("error body has not both shapes: %s", r.raw)
		}
	}
}

// spawn creates a database and fails the test otherwise.
func (f *fixture) spawn(name string) {
	f.t.Helper()
	r := f.do("POST", "/admin/databases/spawn/"+name, nil)
	if r.status != 201 && r.status != 200 {
		f.t.Fatalf("spawn %s: %d %s", name, r.status, r.raw)
	}
}

// exec runs SQL and expects success.
func (f *fixture) exec(db, sql string, params ...any) response {
	f.t.Helper()
	body := map[string]any{"sql": sql}
	if params != nil {
		body["params"] = params
	}
	r := f.do("POST", "/api/db/"+db+"/query", body)
	f.expect(r, 200, "")
	return r
}
