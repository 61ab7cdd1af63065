package jsonvalue

import (
	"encoding/json"
	"math"
	"testing"
)

func TestAppendValue(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{int64(math.MaxInt64), `9223372036854775807`},
		{int64(math.MinInt64), `-9223372036854775808`},
		{6363.0, `6363.0`},
		{-0.5, `-0.5`},
		{1e21, `1e+21`},
		{1e-7, `1e-7`},
		{math.NaN(), `null`},
		{math.Inf(1), `null`},
		{"a\"b\\c\n\x1b", `"a\"b\\c\n\u001b"`},
		{"bad \xff utf8", `"bad \ufffd utf8"`},
		{"line\u2028sep", `"line\u2028sep"`},
		{[]byte{0, 1, 2, 255}, `{"$blob":"AAEC/w=="}`},
		{true, `true`},
	}
	for _, c := range cases {
		got := string(AppendValue(nil, c.in))
		if got != c.want {
			t.Errorf("AppendValue(%#v) = %s, want %s", c.in, got, c.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("AppendValue(%#v) = %s is not valid JSON", c.in, got)
		}
	}
}

func TestFloatsReadBackAsFloats(t *testing.T) {
	for _, f := range []float64{0, 1, -3, 6363, 123456789012, 0.1, 2.5e-300, 1.7976931348623157e308} {
		got := AppendFloat(nil, f)
		var back float64
		if err := json.Unmarshal(got, &back); err != nil || back != f {
			t.Fatalf("%v → %s → %v, %v", f, got, back, err)
		}
		var n json.Number
		if err := json.Unmarshal(got, &n); err != nil {
			t.Fatal(err)
		}
		if _, err := n.Int64(); err == nil {
			t.Fatalf("%v written as %s reads back as an integer", f, got)
		}
	}
}
