package gateway

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
)

// FuzzQueryRequest feeds arbitrary bodies to the decoder of /query and
// /explain: it must never panic, and must either build a query that keeps
// the SQL text as sent, or refuse with a 4xx error of the documented kinds.
func FuzzQueryRequest(f *testing.F) {
	for _, s := range []string{
		`{"sql": "SELECT 1"}`,
		`{"sql": "SELECT ?", "params": [1, 2.5, "x", true, null, {"$blob": "AAE="}]}`,
		`{"sql": "SELECT :a", "params": {"a": 9223372036854775807}}`,
		`{"sql": "SELECT 1", "parameters": [1], "limit": 10, "offset": 5, "shape": "rows"}`,
		`{"sql": 5}`, `{"sql": "x", "params": "x"}`, `{"sql": "x", "params": [1e999]}`,
		`{"sql": "x", "params": [{"$blob": "!"}]}`, `{"sql": "x", "limit": -1}`, "{\"sql\": \"\xff\"}",
		`[[[[[[`, ``, `null`, `{}`, `{"sql": null}`,
	} {
		f.Add([]byte(s))
	}
	g := &Gateway{maxBody: 1 << 16}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/db/x/query", bytes.NewReader(body))
		var req queryRequest
		err := g.decodeBody(r, &req, false)
		if err == nil {
			q, qerr := req.toQuery()
			if qerr == nil {
				if q.SQL != *req.SQL {
					t.Fatalf("SQL changed: %q → %q", *req.SQL, q.SQL)
				}
				for _, v := range q.Params {
					checkBindable(t, v)
				}
				for _, v := range q.Named {
					checkBindable(t, v)
				}
				return
			}
			err = qerr
		}
		var ae *apiError
		if !errors.As(err, &ae) {
			if len(body) > 1<<16 {
				return // the body limit: a *http.MaxBytesError, mapped to 413
			}
			t.Fatalf("error %v (%T) is not an API error", err, err)
		}
		if ae.status != 400 && ae.status != 422 {
			t.Fatalf("status %d for a bad body", ae.status)
		}
		if ae.msg == "" || ae.code == "" {
			t.Fatalf("empty error: %+v", ae)
		}
	})
}

func checkBindable(t *testing.T, v any) {
	t.Helper()
	switch v.(type) {
	case nil, int64, float64, string, bool, []byte:
	default:
		t.Fatalf("unbindable value %T", v)
	}
}

// fuzzGateway is a keyed gateway over a real engine with database "fz".
func fuzzGateway(f *testing.F) *Gateway {
	eng, err := engine.Open(engine.Config{DataDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	if _, _, err := eng.Spawn(context.Background(), "fz", ""); err != nil {
		f.Fatal(err)
	}
	return New(eng, Options{AdminKeyHash: auth.Hash(testKey), MaxBodyBytes: 1 << 16})
}

// checkAnswer fails on a redirect, a 5xx, or an error that is not JSON.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 300 && w.Code < 400 {
		t.Fatalf("redirect %d to %q", w.Code, w.Header().Get("Location"))
	}
	if w.Code >= 500 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if w.Code >= 400 && !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d with Content-Type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}

// FuzzRequestPath routes arbitrary methods and paths through the whole
// gateway: the mux must never answer itself with an HTML redirect ("//"
// once became a 307 to "/"), and nothing is a 5xx.
func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{
		"/", "//", "///", "//admin/databases", "/admin//databases", "/admin/databases/", "/admin/databases//",
		"/./", "/.", "/..", "/api/db/fz/./query", "/api/db/fz/query/", "/api/db/fz/query/..", "/%2F", "/health/",
		"/admin/databases/fz/backups/", "*", "", "/api/db/fz/schema", "/admin/databases/spawn/", "/api/db//query",
	} {
		f.Add("GET", s)
		f.Add("POST", s)
	}
	f.Add("OPTIONS", "*")
	f.Add("DELETE", "/admin/databases/")
	g := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, method, path string) {
		if !isToken(method) {
			return
		}
		r := &http.Request{
			Method: method, URL: &url.URL{Path: path}, RequestURI: path, Host: "127.0.0.1",
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"X-Api-Key": {testKey}}, Body: http.NoBody,
		}
		r = r.WithContext(context.Background())
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		checkAnswer(t, w)
	})
}

// FuzzChunkedBody parses arbitrary chunked framing with net/http's own
// request reader and serves it: a malformed body is a 4xx (it was a 500),
// never a 5xx.
func FuzzChunkedBody(f *testing.F) {
	for _, s := range []string{
		"0\r\n\r\n", "c\r\n{\"sql\":\"x\"}\r\n0\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n", "ffffffffffffffffffff\r\n{}\r\n",
		"2\r\n{}XX0\r\n\r\n", "2;\x00\r\n{}\r\n0\r\n\r\n", "-1\r\n", "2\r\n{}", "1\r\n{\r\n", "\r\n\r\n",
		"10\r\n{\"sql\":\"SELECT 1\"}\r\n0\r\nTrailer: x\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	g := fuzzGateway(f)
	head := "POST /api/db/fz/query HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + testKey +
		"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := http.ReadRequest(bufio.NewReader(io.MultiReader(strings.NewReader(head), bytes.NewReader(body))))
		if err != nil {
			return // the server refuses it before any handler
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		checkAnswer(t, w)
	})
}
