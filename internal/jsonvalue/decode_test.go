package jsonvalue

import (
	"math"
	"reflect"
	"testing"
)

// TestRoundTrip: every value the engine holds comes back from its JSON as
// the same Go value with the same storage class, so the writer and the
// reader of the contract agree.
func TestRoundTrip(t *testing.T) {
	for _, v := range []any{
		nil, int64(0), int64(math.MaxInt64), int64(math.MinInt64), 6363.0, -0.5, 1e21, 1e-7, 0.1,
		math.MaxFloat64, math.SmallestNonzeroFloat64, "", "a\"b\\c\n\x1b", "line\u2028sep ünï",
		[]byte{}, []byte{0, 1, 2, 255}, true, false,
	} {
		raw := AppendValue(nil, v)
		got, err := Decode(raw)
		if err != nil {
			t.Errorf("%#v → %s: %v", v, raw, err)
			continue
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("%#v → %s → %#v", v, raw, got)
		}
		if StorageClass(got) != StorageClass(v) {
			t.Errorf("%#v: storage class %q after the round trip, %q before", v, StorageClass(got), StorageClass(v))
		}
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]any{
		"9223372036854775807":  int64(math.MaxInt64),
		"-9223372036854775808": int64(math.MinInt64),
		"-42":                  int64(-42),
		"6363.0":               6363.0,
		"1e3":                  1000.0,
		"1E3":                  1000.0,
		"18446744073709551616": 18446744073709551616.0, // past int64: a float, as SQLite keeps it
	} {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, bad := range []string{"1e999", "-1e999", "", "x"} {
		if _, err := ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q): want an error", bad)
		}
	}
}

func TestDecodeBlobsAndRefusals(t *testing.T) {
	if got, err := Decode([]byte(` {"$blob":"AAEC"} `)); err != nil || !reflect.DeepEqual(got, []byte{0, 1, 2}) {
		t.Fatalf("blob: %#v, %v", got, err)
	}
	// an object with $blob and another key is an object, not a blob
	if got, err := Decode([]byte(`{"$blob":"AA==","x":1}`)); err != nil || !reflect.DeepEqual(got, map[string]any{"$blob": "AA==", "x": int64(1)}) {
		t.Fatalf("two keys: %#v, %v", got, err)
	}
	if got, err := Decode([]byte(`[1,{"$blob":"/w=="},2.5]`)); err != nil || !reflect.DeepEqual(got, []any{int64(1), []byte{255}, 2.5}) {
		t.Fatalf("nested: %#v, %v", got, err)
	}
	for _, bad := range []string{`{"$blob":"!!"}`, `{"$blob":1}`, ``, `[1,`, `[1e999]`, `"unterminated`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q): want an error", bad)
		}
	}
	if _, ok := BlobText(map[string]any{"$blob": 1}); ok {
		t.Error("a non-string $blob is not a blob")
	}
}
