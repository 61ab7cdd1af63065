package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// writeJSONRows writes an array with one object per row, keys in column
// order (a repeated column name gets a _2, _3… suffix so no value is
// lost). NULL is null, BLOBs are base64 strings, REALs keep a fraction.
func writeJSONRows(b *bytes.Buffer, g grid) error {
	keys := uniqueNames(g.cols)
	var raw bytes.Buffer
	raw.WriteString("[")
	for r, row := range g.rows {
		if r > 0 {
			raw.WriteString(",")
		}
		raw.WriteString("\n  {")
		for c, k := range keys {
			if c > 0 {
				raw.WriteString(", ")
			}
			writeJSONString(&raw, k)
			raw.WriteString(": ")
			var v any
			if c < len(row) {
				v = row[c]
			}
			if err := writeJSONValue(&raw, v); err != nil {
				return err
			}
		}
		raw.WriteString("}")
	}
	if len(g.rows) > 0 {
		raw.WriteString("\n")
	}
	raw.WriteString("]\n")
	b.Write(safeJSON(raw.Bytes()))
	return nil
}

func writeJSONValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null") // JSON has no NaN or infinities
		} else {
			b.WriteString(formatFloat(x))
		}
	case int64, int, bool:
		b.WriteString(scalarText(x))
	case string:
		writeJSONString(b, x)
	case []byte:
		writeJSONString(b, base64.StdEncoding.EncodeToString(x))
	default:
		return fmt.Errorf("cannot write %T as JSON", v)
	}
	return nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// writeJSONDoc writes any document (a struct of the client) as indented
// JSON, terminal-safe.
func writeJSONDoc(b *bytes.Buffer, doc any) error {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.Write(safeJSON(raw.Bytes()))
	return nil
}

// safeJSON escapes, as \uXXXX, every character a terminal could act on
// that encoding/json leaves raw (DEL, C1 controls, bidi overrides,
// zero-width characters). Such characters only occur inside strings, so
// the document means exactly the same and stays lossless.
func safeJSON(js []byte) []byte {
	if !bytes.ContainsFunc(js, func(r rune) bool { return r >= 0x7f }) {
		return js
	}
	out := make([]byte, 0, len(js)+16)
	for i := 0; i < len(js); {
		r, size := utf8.DecodeRune(js[i:])
		ch := js[i : i+size]
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			out = append(out, `\ufffd`...)
		case r < 0x7f, sanitize.Line(string(ch)) == string(ch):
			// ASCII below DEL is structure or already escaped by encoding/json.
			out = append(out, ch...)
		default:
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				out = appendU(appendU(out, r1), r2)
			} else {
				out = appendU(out, r)
			}
		}
	}
	return out
}

func appendU(b []byte, r rune) []byte {
	s := strconv.FormatInt(int64(r), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return append(append(b, `\u`...), s...)
}

// uniqueNames suffixes repeated column names (id, id_2, …) so JSON
// objects keep every value.
func uniqueNames(cols []string) []string {
	seen := make(map[string]bool, len(cols))
	out := make([]string, len(cols))
	for i, c := range cols {
		name := c
		for n := 2; seen[name]; n++ {
			name = c + "_" + strconv.Itoa(n)
		}
		seen[name] = true
		out[i] = name
	}
	return out
}
