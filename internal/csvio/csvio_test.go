package csvio

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func write(t *testing.T, null string, header []string, rows ...[]any) string {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, null)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteHeader(header); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func readAll(t *testing.T, in, null string, comma rune) ([]Record, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(in), comma, null)
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

func TestWriterBytes(t *testing.T) {
	got := write(t, "", []string{"id", "s", "r", "b"},
		[]any{int64(1), nil, 6363.0, []byte{0, 0xff}},
		[]any{int64(2), "", math.Inf(1), []byte(nil)},
		[]any{int64(3), "a,\"b\"\r\nc\rd\ne", 1e-7, true},
		[]any{int64(4), "👩\u200d💻 می\u200cخواهم", math.NaN(), "  lead"},
	)
	want := "id,s,r,b\r\n" +
		"1,,6363.0,AP8=\r\n" +
		"2,\"\",1e999,\"\"\r\n" +
		"3,\"a,\"\"b\"\"\r\nc\rd\ne\",1e-07,true\r\n" +
		"4,👩\u200d💻 می\u200cخواهم,,  lead\r\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

// A value equal to a custom null marker is quoted; NULL is the bare marker.
func TestWriterCustomNull(t *testing.T) {
	got := write(t, `\N`, []string{"a", "b", "c"}, []any{nil, `\N`, ""}, []any{int64(0), nil, "x"})
	want := "a,b,c\r\n\\N,\"\\N\",\r\n0,\\N,x\r\n"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	if got := write(t, "0", []string{"n"}, []any{int64(0)}, []any{nil}); got != "n\r\n\"0\"\r\n0\r\n" {
		t.Fatalf("number equal to the marker: %q", got)
	}
	for _, bad := range []string{`"`, "a\nb", ",", "\r"} {
		if _, err := NewWriter(io.Discard, bad); err == nil {
			t.Errorf("null %q accepted", bad)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	vals := []string{"", "plain", "a,b", `q"uote`, "crlf\r\nin", "lf\nin", "cr\rin", "👨\u200d👩\u200d👧", "می\u200cخواهم", `\N`, " ", "NULL"}
	for _, null := range []string{"", `\N`, "NULL"} {
		var rows [][]any
		for _, v := range vals {
			rows = append(rows, []any{v, nil})
		}
		text := write(t, null, []string{"v", "n"}, rows...)
		recs, err := readAll(t, text, null, ',')
		if err != nil {
			t.Fatalf("null %q: %v", null, err)
		}
		if len(recs) != len(vals)+1 {
			t.Fatalf("null %q: %d records", null, len(recs))
		}
		for i, v := range vals {
			r := recs[i+1]
			if r.Null[0] || r.Fields[0] != v || !r.Null[1] || r.Fields[1] != "" {
				t.Errorf("null %q: value %q read back as %+v", null, v, r)
			}
		}
	}
}

func TestReaderNullConvention(t *testing.T) {
	recs, err := readAll(t, "a,b,c\n,\"\",x\n\"\",,\"\"\"\"\n", "", ',')
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Fields: []string{"a", "b", "c"}, Null: []bool{false, false, false}, Line: 1},
		{Fields: []string{"", "", "x"}, Null: []bool{true, false, false}, Line: 2},
		{Fields: []string{"", "", `"`}, Null: []bool{false, true, false}, Line: 3},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("got %+v", recs)
	}
	// with a custom marker an unquoted empty field is the empty string
	recs, err = readAll(t, "a;b\n;\\N\n", `\N`, ';')
	if err != nil || recs[1].Null[0] || !recs[1].Null[1] {
		t.Fatalf("custom marker: %+v %v", recs, err)
	}
}

func TestReaderOneColumnBlankLines(t *testing.T) {
	text := write(t, "", []string{"v"}, []any{"x"}, []any{nil}, []any{""}, []any{nil})
	recs, err := readAll(t, text, "", ',')
	if err != nil || len(recs) != 5 || !recs[2].Null[0] || recs[3].Null[0] || !recs[4].Null[0] {
		t.Fatalf("one column: %q -> %+v %v", text, recs, err)
	}
	// in a wider CSV blank lines are skipped
	recs, err = readAll(t, "a,b\n\n1,2\r\n\r\n", "", ',')
	if err != nil || len(recs) != 2 || recs[1].Line != 3 {
		t.Fatalf("blank lines: %+v %v", recs, err)
	}
}

func TestReaderErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a,b\n1,x\"y\n", `line 2, column 4: bare " in non-quoted-field`},
		{"a,b\n1,\"open\n2,3\n", `line 3, column`},
		{"a,b\n\"x\"y,1\n", `line 2, column 4: extraneous or missing "`},
		{"a,b\n1\n", "line 2: wrong number of fields: 1, expected 2"},
		{"a,b\n1,\xff\n", "line 2, column 3: invalid UTF-8 in field 2"},
	}
	for _, c := range cases {
		_, err := readAll(t, c.in, "", ',')
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.in, err, c.want)
		}
	}
	var fc *FieldCountError
	if _, err := readAll(t, "a,b\n1\n", "", ','); !errors.As(err, &fc) || !errors.Is(err, ErrFieldCount) {
		t.Errorf("field count error type: %T", err)
	}
}

func TestReaderLongLineAndDelimiter(t *testing.T) {
	long := strings.Repeat("x", 200<<10)
	recs, err := readAll(t, "a§b\r\n"+long+"§\"q\r\n\"\r\n", "", '§')
	if err != nil || len(recs) != 2 || recs[1].Fields[0] != long || recs[1].Fields[1] != "q\r\n" {
		t.Fatalf("long: %v %d", err, len(recs))
	}
}

// FuzzRoundTrip: whatever two values (or NULLs) are written, with whatever
// valid null marker, they read back exactly.
func FuzzRoundTrip(f *testing.F) {
	f.Add("a", "", `\N`, false, true)
	f.Add("x\r\ny", `"`, "", true, false)
	f.Add("👩\u200d💻", ",", "NULL", false, false)
	f.Fuzz(func(t *testing.T, a, b, null string, aNull, bNull bool) {
		if ValidNull(null, ',') != nil || !utf8ValidAll(a, b) {
			return
		}
		row := []any{a, b}
		if aNull {
			row[0] = nil
		}
		if bNull {
			row[1] = nil
		}
		text := write(t, null, []string{"a", "b"}, row)
		recs, err := readAll(t, text, null, ',')
		if err != nil || len(recs) != 2 {
			t.Fatalf("%q: %v %+v", text, err, recs)
		}
		got := recs[1]
		for i, v := range row {
			if (v == nil) != got.Null[i] || (v != nil && got.Fields[i] != v.(string)) {
				t.Fatalf("field %d: wrote %q, read %+v from %q", i, v, got, text)
			}
		}
	})
}

func utf8ValidAll(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
