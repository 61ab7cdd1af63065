package client_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/dbforge/dbforge/client"
)

func TestValueDecoding(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		spawn(t, c, "v")
		blob := []byte{0, 1, 2, 0xfe, 0xff}
		res := exec(t, c, "v", "SELECT ?, 6363.0, ?, NULL, 'é\"\\\n', -9223372036854775808, 1e300, 0.1",
			int64(math.MaxInt64), blob)
		row := res.Rows[0]
		if v, ok := row[0].(int64); !ok || v != math.MaxInt64 {
			t.Errorf("int64 max = %#v", row[0])
		}
		if v, ok := row[1].(float64); !ok || v != 6363 {
			t.Errorf("6363.0 = %#v, want float64", row[1])
		}
		if v, ok := row[2].([]byte); !ok || !bytes.Equal(v, blob) {
			t.Errorf("blob = %#v", row[2])
		}
		if row[3] != nil {
			t.Errorf("null = %#v", row[3])
		}
		if row[4] != "é\"\\\n" {
			t.Errorf("escaped string = %q", row[4])
		}
		if v, ok := row[5].(int64); !ok || v != math.MinInt64 {
			t.Errorf("int64 min = %#v", row[5])
		}
		if row[6] != 1e300 || row[7] != 0.1 {
			t.Errorf("floats = %#v %#v", row[6], row[7])
		}
	})
}

// A float64 parameter must bind as REAL even when it has no fraction, and
// []byte as BLOB.
func TestParamTypes(t *testing.T) {
	c := embeddedClient(t)
	spawn(t, c, "p")
	res := exec(t, c, "p", "SELECT typeof(?), typeof(?), typeof(?), typeof(?), typeof(?)", 6363.0, int64(6363), []byte("x"), "s", nil)
	want := []any{"real", "integer", "blob", "text", "null"}
	for i, w := range want {
		if res.Rows[0][i] != w {
			t.Errorf("param %d: typeof = %v, want %v", i, res.Rows[0][i], w)
		}
	}
	// typed slices bind positionally too
	res, err := c.Query(ctxT(t), "p", client.QueryRequest{SQL: "SELECT ? + ?", Params: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != 3.0 {
		t.Errorf("1.0 + 2.0 = %#v", res.Rows[0][0])
	}
	if _, err := c.Query(ctxT(t), "p", client.QueryRequest{SQL: "SELECT ?", Params: []any{math.NaN()}}); err == nil {
		t.Error("NaN parameter: want an error")
	}
	if _, err := c.Query(ctxT(t), "p", client.QueryRequest{SQL: "SELECT ?", Params: 42}); err == nil {
		t.Error("scalar params: want an error")
	}
}
