package gateway

import (
	"reflect"
	"strings"
	"testing"
)

// slowQuery is the reading decodeQueryFast must agree with: encoding/json
// into queryRequest, then decodeParams.
func slowQuery(body []byte) (queryRequest, any, error) {
	var req queryRequest
	if err := unmarshalBodyBytes(body, &req, false); err != nil {
		return req, nil, err
	}
	q, err := req.toQuery()
	return req, q, err
}

// checkFastMatchesSlow fails when the one-pass reader accepts a body and
// builds anything else than the slow path does; it reports whether the
// fast path took the body.
func checkFastMatchesSlow(t *testing.T, body string) bool {
	t.Helper()
	var fast queryRequest
	if !decodeQueryFast([]byte(body), &fast) {
		if !reflect.DeepEqual(fast, queryRequest{}) {
			t.Errorf("%q: refused but left %+v", body, fast)
		}
		return false
	}
	fq, ferr := fast.toQuery()
	if ferr != nil {
		t.Errorf("%q: fast path accepted a body whose params fail: %v", body, ferr)
		return true
	}
	slowReq, sq, serr := slowQuery([]byte(body))
	if serr != nil {
		t.Errorf("%q: fast path accepted what encoding/json refuses: %v", body, serr)
		return true
	}
	if !reflect.DeepEqual(fq, sq) {
		t.Errorf("%q:\n fast %#v\n slow %#v", body, fq, sq)
	}
	if fast.Shape != slowReq.Shape {
		t.Errorf("%q: shape fast %q slow %q", body, fast.Shape, slowReq.Shape)
	}
	return true
}

func TestQueryBodyFastPathTakesTheCommonShapes(t *testing.T) {
	for _, body := range []string{
		`{"sql":"SELECT * FROM t WHERE id = ?","params":[42]}`,
		` { "sql" : "SELECT 1" } `,
		`{"sql":"SELECT ?, ?, ?, ?, ?","params":["a", -1.5e3, true, null, 9223372036854775807]}`,
		`{"sql":"SELECT ?","params":[9223372036854775808]}`, // past int64: a float, as before
		`{"sql":"SELECT ?","params":[-0]}`,
		`{"sql":"SELECT ?","params":[1E2]}`,
		`{"sql":"SELECT \"x\" FROM \"t\"\n","params":["tab\there \u00e9 \ud83d\ude00"]}`,
		`{"sql":"SELECT 1","params":[],"parameters":[1]}`,
		`{"sql":"SELECT ?","params":null,"parameters":[7]}`,
		`{"sql":"SELECT ?","parameters":[7]}`,
		`{"sql":"SELECT ?","params":[1],"params":null,"parameters":[2]}`,
		`{"sql":"a","sql":"b"}`,
		`{"sql":"SELECT 1","limit":10,"offset":-0,"shape":"rows","read_only":true}`,
		`{"sql":"SELECT 1","limit":5,"limit":6,"read_only":false}`,
		`{"sql":"SELECT 1","shape":"bogus"}`,
		"{\"sql\":\"\xc3\xa9\u00e9\"}",
		`{"sql":""}`,
	} {
		if !checkFastMatchesSlow(t, body) {
			t.Errorf("%q: the one-pass reader did not take a common body", body)
		}
	}
}

// The attack bodies: what encoding/json reads differently from a naive
// scanner (key case folding, duplicates, invalid UTF-8, overflows, null
// for a pointer, trailing data) must go the slow way, so the answer and
// its error are exactly what they were.
func TestQueryBodyFastPathRefusesWhatItCannotReadExactly(t *testing.T) {
	for _, body := range []string{
		`{"sql":"SELECT 1","SQL":"DROP TABLE t"}`,
		`{"Sql":"DROP TABLE t"}`,
		`{"sql":"SELECT 1","Params":[1]}`,
		`{"s\u0071l":"DROP TABLE t"}`,
		`{"sql":"SELECT 1","sql":null}`,
		`{"sql":null}`,
		`{}`,
		``,
		`   `,
		`[]`,
		`{"sql":"SELECT 1"} {"sql":"x"}`,
		`{"sql":"SELECT 1"}x`,
		`{"sql":"SELECT 1",}`,
		`{"sql":"SELECT 1"`,
		"{\"sql\":\"\xff\xfe\"}",
		"{\"sql\":\"a\x01b\"}",
		`{"sql":"SELECT ?","params":{"a":1}}`,
		`{"sql":"SELECT ?","params":[{"$blob":"AAE="}]}`,
		`{"sql":"SELECT ?","params":[[1]]}`,
		`{"sql":"SELECT ?","params":[01]}`,
		`{"sql":"SELECT ?","params":[1.]}`,
		`{"sql":"SELECT ?","params":[.5]}`,
		`{"sql":"SELECT ?","params":[+1]}`,
		`{"sql":"SELECT ?","params":[1e999]}`,
		`{"sql":"SELECT ?","params":[NaN]}`,
		`{"sql":"SELECT ?","params":[1,]}`,
		`{"sql":"SELECT ?","params":"1"}`,
		`{"sql":"SELECT 1","limit":1.5}`,
		`{"sql":"SELECT 1","limit":"5"}`,
		`{"sql":"SELECT 1","limit":null}`,
		`{"sql":"SELECT 1","limit":99999999999999999999}`,
		`{"sql":"SELECT 1","read_only":1}`,
		`{"sql":"SELECT 1","extra":1}`,
		`{"sql":1}`,
		`{"sql":"SELECT \x"}`,
		"\ufeff{\"sql\":\"SELECT 1\"}",
	} {
		if checkFastMatchesSlow(t, body) {
			t.Errorf("%q: the one-pass reader took a body it must leave to encoding/json", body)
		}
	}
}

// Over the real gateway: the one-pass reader binds the same values, and
// a body it refuses still gets the old answer, error included.
func TestQueryOnePassOverHTTP(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("db")
	f.exec("db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
	f.exec("db", "INSERT INTO t VALUES (1, 'one'), (2, 'two')")

	r := f.do("POST", "/api/db/db/query", `{"sql":"SELECT v, ? AS big, ? AS f, ? AS s FROM t WHERE id = ?","params":[9223372036854775807, 2.5, "caf\u00e9", 2]}`)
	f.expect(r, 200, "")
	if !strings.Contains(string(r.raw), `"v":"two","big":9223372036854775807,"f":2.5,"s":"café"`) {
		t.Fatalf("bound values changed: %s", r.raw)
	}
	// "SQL" is the same field to encoding/json (last key wins): still so
	r = f.do("POST", "/api/db/db/query", `{"sql":"SELECT 1 AS a","SQL":"SELECT 2 AS a"}`)
	f.expect(r, 200, "")
	if !strings.Contains(string(r.raw), `"a":2`) {
		t.Fatalf("case-folded key read differently: %s", r.raw)
	}
	r = f.do("POST", "/api/db/db/query", `{"sql":"SELECT ?","params":[01]}`)
	f.expect(r, 400, "Request body is not valid JSON: invalid character '1' after array element.")
	r = f.do("POST", "/api/db/db/query", `{"sql":"SELECT 1","limit":1.5}`)
	f.expect(r, 422, "Field 'limit' must be an integer, not number 1.5.")
	r = f.do("POST", "/api/db/db/query", `{"sql":"SELECT ?","params":[1e999]}`)
	f.expect(r, 422, "Parameter 1: number 1e999 is out of range.")
}

// FuzzQueryBodyFastMatchesSlow: whatever the one-pass reader accepts,
// encoding/json and decodeParams read the same way.
func FuzzQueryBodyFastMatchesSlow(f *testing.F) {
	for _, s := range []string{
		`{"sql":"SELECT * FROM t WHERE id = ?","params":[42]}`,
		`{"sql":"SELECT ?","params":["a\"b",-1.5e3,true,null],"limit":3,"offset":1,"shape":"rows","read_only":true}`,
		`{"sql":"x","parameters":[1],"params":null}`,
		`{"sql":"x","SQL":"y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkFastMatchesSlow(t, string(body))
	})
}
