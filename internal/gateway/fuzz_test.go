package gateway

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"
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
