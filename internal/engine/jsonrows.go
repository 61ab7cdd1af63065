package engine

import (
	"bufio"

	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// jsonRows writes rows as a JSON array of objects whose keys keep column
// order, or as NDJSON (one object per line): the one encoding of the table
// and query exports. Values are encoded as query results are.
type jsonRows struct {
	w      *bufio.Writer
	ndjson bool
	keys   [][]byte // `"name":` per column
	buf    []byte
	n      int64 // rows written
}

func newJSONRows(w *bufio.Writer, names []string, ndjson bool) *jsonRows {
	keys := make([][]byte, len(names))
	for i, name := range names {
		keys[i] = append(jsonvalue.AppendString(nil, name), ':')
	}
	if !ndjson {
		w.WriteByte('[')
	}
	return &jsonRows{w: w, ndjson: ndjson, keys: keys, buf: make([]byte, 0, 512)}
}

// row writes one row.
func (j *jsonRows) row(vals []any) error {
	b := j.buf[:0]
	switch {
	case j.ndjson:
	case j.n == 0:
		b = append(b, '\n')
	default:
		b = append(b, ',', '\n')
	}
	b = append(b, '{')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, j.keys[i]...)
		b = jsonvalue.AppendValue(b, v)
	}
	b = append(b, '}')
	if j.ndjson {
		b = append(b, '\n')
	}
	j.buf = b
	j.n++
	_, err := j.w.Write(b)
	return err
}

// end closes the array and flushes.
func (j *jsonRows) end() error {
	if !j.ndjson {
		if j.n > 0 {
			j.w.WriteByte('\n')
		}
		j.w.WriteString("]\n")
	}
	return j.w.Flush()
}
