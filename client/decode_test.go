package client

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestParseAPIError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   APIError
	}{
		{"both shapes", 404, `{"detail":"Database not found.","error":{"code":"DATABASE_NOT_FOUND","message":"Database not found.","status":404}}`,
			APIError{404, CodeNotFound, "Database not found."}},
		{"mk1 detail string", 400, `{"detail":"SQL Error: no such table: x"}`,
			APIError{400, CodeSQL, "SQL Error: no such table: x"}},
		{"mk1 not found", 404, `{"detail":"Database instance not found."}`,
			APIError{404, CodeNotFound, "Database instance not found."}},
		{"fastapi validation list", 422, `{"detail":[{"loc":["body","sql"],"msg":"field required","type":"value_error.missing"},{"loc":["body","params",0],"msg":"bad"}]}`,
			APIError{422, CodeValidation, "body.sql: field required; body.params.0: bad"}},
		{"fastapi route 404", 404, `{"detail":"Not Found"}`, APIError{404, CodeRouteNotFound, "Not Found"}},
		{"not json", 502, `<html>bad gateway</html>`, APIError{502, CodeInternal, "<html>bad gateway</html>"}},
		{"empty", 500, ``, APIError{500, CodeInternal, "Internal Server Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseAPIError(tt.status, []byte(tt.body))
			if *got != tt.want {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
			var ae *APIError
			if !errors.As(error(got), &ae) {
				t.Error("errors.As failed")
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"9223372036854775807", int64(math.MaxInt64)},
		{"-42", int64(-42)},
		{"6363.0", 6363.0},
		{"1e3", 1000.0},
		{"18446744073709551616", 18446744073709551616.0}, // past int64: kept as a float
		{"null", nil},
		{"true", true},
		{`"plain"`, "plain"},
		{`"tab\tq\"\u00e9"`, "tab\tq\"é"},
		{`{"$blob":"AAEC"}`, []byte{0, 1, 2}},
		{`{"$blob":""}`, []byte{}},
		{`{"a":1,"b":2.0}`, map[string]any{"a": int64(1), "b": 2.0}},
		{`[1,"x"]`, []any{int64(1), "x"}},
	}
	for _, tt := range tests {
		got, err := decodeValue([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`{"$blob":"!!"}`, `{"$blob":1}`, ``, `[1,`} {
		if _, err := decodeValue([]byte(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestAppendValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{6363.0, "6363.0"},
		{1.5, "1.5"},
		{1e21, "1e+21"},
		{float32(2), "2.0"},
		{int64(math.MaxInt64), "9223372036854775807"},
		{uint8(7), "7"},
		{[]byte{0, 1, 2}, `{"$blob":"AAEC"}`},
		{nil, "null"},
		{"a\"b", `"a\"b"`},
		{true, "true"},
	}
	for _, tt := range tests {
		got, err := appendValue(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("%#v: got %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []any{math.Inf(1), uint64(math.MaxUint64), make(chan int)} {
		if _, err := appendValue(nil, bad); err == nil {
			t.Errorf("%#v: want an error", bad)
		}
	}
}

func TestDecodeResultShapes(t *testing.T) {
	// MK1: objects only; order from the JSON text, types from the first
	// non-null value; a key first seen in a later row becomes a column.
	res, err := decodeResult([]byte(`{"data":[{"z":1,"a":null,"m":"x"},{"z":2,"a":2.5,"m":"y","late":true}],"rows_affected":2}`))
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []Column{{"z", "INTEGER"}, {"a", "REAL"}, {"m", "TEXT"}, {"late", "INTEGER"}}
	if !reflect.DeepEqual(res.Columns, wantCols) {
		t.Errorf("columns = %+v", res.Columns)
	}
	wantRows := [][]any{{int64(1), nil, "x", nil}, {int64(2), 2.5, "y", true}}
	if !reflect.DeepEqual(res.Rows, wantRows) || !res.Returning() || res.RowCount != 2 {
		t.Errorf("rows = %#v", res.Rows)
	}

	// DB-Forge objects with columns: duplicate names keep their positions
	res, err = decodeResult([]byte(`{"columns":[{"name":"a","type":""},{"name":"a","type":""}],"data":[{"a":1,"a":2}],"rows_affected":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Rows, [][]any{{int64(1), int64(2)}}) {
		t.Errorf("duplicate columns = %#v", res.Rows)
	}

	// an empty MK1 row set is still a row set
	res, err = decodeResult([]byte(`{"data":[],"rows_affected":0}`))
	if err != nil || !res.Returning() || res.Rows == nil || res.Columns == nil {
		t.Errorf("empty data = %+v, %v", res, err)
	}

	// a statement without rows
	res, err = decodeResult([]byte(`{"message":"Query executed successfully.","rows_affected":3,"last_insert_id":null}`))
	if err != nil || res.Returning() || res.RowsAffected != 3 || res.LastInsertID != 0 {
		t.Errorf("exec = %+v, %v", res, err)
	}

	if _, err := decodeResult([]byte(`{"rows":[[{"$blob":"%%"}]]}`)); err == nil {
		t.Error("bad blob: want an error")
	}
}

func TestReturningByHand(t *testing.T) {
	if !(&QueryResult{Rows: [][]any{{1}}}).Returning() {
		t.Error("rows without columns should be a row set")
	}
	if (&QueryResult{Message: "ok", RowsAffected: 1}).Returning() {
		t.Error("a message-only result is not a row set")
	}
}

// TestDecodePostgresStats: a PostgreSQL database's stats carry its backend
// and its transaction counter; an older gateway's document leaves both zero.
func TestDecodePostgresStats(t *testing.T) {
	var st DatabaseStats
	if err := json.Unmarshal([]byte(`{"name":"pg","status":"running","backend":"postgres","open_connections":3,"transactions_total":9007199254740993,"size_bytes":8000000}`), &st); err != nil {
		t.Fatal(err)
	}
	if st.Backend != BackendPostgres || st.TransactionsTotal != 9007199254740993 || st.OpenConnections != 3 || st.SizeBytes != 8000000 {
		t.Errorf("postgres stats = %+v", st)
	}
	var old DatabaseStats
	if err := json.Unmarshal([]byte(`{"name":"a","status":"running","open_connections":1}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Backend != "" || old.TransactionsTotal != 0 {
		t.Errorf("older stats = %+v", old)
	}
}
