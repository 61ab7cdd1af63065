package gateway

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/jsonvalue"
)

func TestAppendString(t *testing.T) {
	cases := map[string]string{
		"plain":          `"plain"`,
		"q\"b\\":         `"q\"b\\"`,
		"\n\r\t\x00\x1f": `"\n\r\t\u0000\u001f"`,
		"é漢😀":            `"é漢😀"`,
		"a\xffb\xc3":     `"a\ufffdb\ufffd"`,
		"\u2028\u2029":   `"\u2028\u2029"`,
		"<&>":            `"<&>"`,
	}
	for in, want := range cases {
		got := string(jsonvalue.AppendString(nil, in))
		if got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%q: not JSON: %v", in, err)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	cases := map[float64]string{
		6363:                        "6363.0",
		0:                           "0.0",
		-2.5:                        "-2.5",
		0.1:                         "0.1",
		1e20:                        "100000000000000000000.0",
		1e21:                        "1e+21",
		1e-7:                        "1e-7",
		-1.5e-10:                    "-1.5e-10",
		math.MaxFloat64:             "1.7976931348623157e+308",
		math.NaN():                  "null",
		math.Inf(1):                 "null",
		math.Inf(-1):                "null",
		math.SmallestNonzeroFloat64: "5e-324",
	}
	for in, want := range cases {
		if got := string(jsonvalue.AppendFloat(nil, in)); got != want {
			t.Errorf("%v: got %s, want %s", in, got, want)
		}
	}
}

func TestAppendResult(t *testing.T) {
	res := &engine.Result{
		Returning: true,
		Columns:   []engine.Column{{Name: "z", Type: "INTEGER"}, {Name: "a\"", Type: "BLOB"}},
		Rows:      [][]any{{int64(math.MaxInt64), []byte{0, 1, 2}}, {int64(math.MinInt64), nil}},
		HasMore:   true,
		Elapsed:   1500 * time.Microsecond,
	}
	got := string(appendResult(nil, res, false))
	want := `{"columns":[{"name":"z","type":"INTEGER"},{"name":"a\"","type":"BLOB"}],"data":[{"z":9223372036854775807,"a\"":{"$blob":"AAEC"}},{"z":-9223372036854775808,"a\"":null}],"rows_affected":2,"row_count":2,"message":null,"has_more":true,"execution_time_ms":1.5}`
	if got != want {
		t.Fatalf("objects:\n%s\nwant\n%s", got, want)
	}
	got = string(appendResult(nil, res, true))
	if !strings.Contains(got, `"rows":[[9223372036854775807,{"$blob":"AAEC"}],[-9223372036854775808,null]]`) || !json.Valid([]byte(got)) {
		t.Fatalf("rows: %s", got)
	}
	empty := string(appendResult(nil, &engine.Result{Returning: true, Columns: []engine.Column{{Name: "x"}}}, false))
	if !strings.Contains(empty, `"data":[]`) || !json.Valid([]byte(empty)) {
		t.Fatalf("empty: %s", empty)
	}
	exec := string(appendResult(nil, &engine.Result{RowsAffected: 3, LastInsertID: 9}, false))
	if !strings.HasPrefix(exec, `{"data":null,"message":"Query executed successfully.","rows_affected":3,"last_insert_id":9,`) || !json.Valid([]byte(exec)) {
		t.Fatalf("exec: %s", exec)
	}
	// many columns: keys beyond the stack buffers still come out right
	wide := &engine.Result{Returning: true}
	row := []any{}
	for i := range 40 {
		wide.Columns = append(wide.Columns, engine.Column{Name: strings.Repeat("c", 10) + string(rune('A'+i))})
		row = append(row, int64(i))
	}
	wide.Rows = [][]any{row}
	var back struct{ Data []map[string]int64 }
	if err := json.Unmarshal(appendResult(nil, wide, false), &back); err != nil || back.Data[0]["ccccccccccA"] != 0 || back.Data[0][wide.Columns[39].Name] != 39 {
		t.Fatalf("wide: %v %v", err, back)
	}
}

func TestBindable(t *testing.T) {
	for raw, want := range map[string]any{
		"9223372036854775807": int64(math.MaxInt64),
		"-1":                  int64(-1),
		"1.0":                 float64(1),
		"1e3":                 float64(1000),
		"9223372036854775808": float64(9223372036854775808),
		`"s"`:                 "s",
		"true":                true,
		"null":                nil,
	} {
		v, err := decodeValueJSON([]byte(raw))
		if err == nil {
			v, err = bindable(v)
		}
		if err != nil || v != want {
			t.Errorf("%s: got %#v %v, want %#v", raw, v, err, want)
		}
	}
	v, err := decodeValueJSON([]byte(`{"$blob": "AAE="}`))
	if err == nil {
		v, err = bindable(v)
	}
	if b, ok := v.([]byte); err != nil || !ok || len(b) != 2 {
		t.Fatalf("blob: %#v %v", v, err)
	}
	for _, bad := range []string{`[1]`, `{"a": 1}`, `{"$blob": 1}`} {
		v, _ := decodeValueJSON([]byte(bad))
		if _, err := bindable(v); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
