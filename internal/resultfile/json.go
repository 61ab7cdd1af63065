package resultfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/dbforge/dbforge/client"
)

// WriteJSON writes an array with one object per row, keys in column order
// (a repeated column name gets a _2, _3… suffix so no value is lost). NULL
// is null, BLOBs are base64 strings, and non-finite floats, which JSON
// cannot express, are null. It returns the number of rows written.
func WriteJSON(w io.Writer, cols []client.Column, pages Pages) (int, error) {
	bw := bufio.NewWriter(w)
	keys := make([][]byte, len(cols))
	for i, name := range uniqueNames(cols) {
		k, err := json.Marshal(name)
		if err != nil {
			return 0, err
		}
		keys[i] = k
	}
	var scratch bytes.Buffer
	enc := json.NewEncoder(&scratch)
	enc.SetEscapeHTML(false)
	if _, err := bw.WriteString("["); err != nil {
		return 0, err
	}
	first := true
	n, err := each(pages, DefaultPageSize, func(row []any) error {
		if first {
			bw.WriteString("\n  {")
			first = false
		} else {
			bw.WriteString(",\n  {")
		}
		for i, k := range keys {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.Write(k)
			bw.WriteString(": ")
			var v any
			if i < len(row) {
				v = row[i]
			}
			if err := writeValue(bw, enc, &scratch, v); err != nil {
				return err
			}
		}
		_, err := bw.WriteString("}")
		return err
	})
	if err != nil {
		return n, err
	}
	if n > 0 {
		bw.WriteString("\n")
	}
	if _, err := bw.WriteString("]\n"); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func writeValue(bw *bufio.Writer, enc *json.Encoder, scratch *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		bw.WriteString("null")
	case int64:
		bw.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			bw.WriteString("null")
			return nil
		}
		bw.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	default:
		// strings, []byte (base64 by encoding/json) and anything else.
		scratch.Reset()
		if err := enc.Encode(x); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(scratch.Bytes(), []byte("\n")))
	}
	return nil
}

func uniqueNames(cols []client.Column) []string {
	seen := make(map[string]int, len(cols))
	out := make([]string, len(cols))
	for i, c := range cols {
		name := c.Name
		for seen[name] > 0 {
			seen[c.Name]++
			name = c.Name + "_" + strconv.Itoa(seen[c.Name])
		}
		seen[name]++
		out[i] = name
	}
	return out
}
