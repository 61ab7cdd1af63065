// Package csvio is DB-Forge's one CSV dialect, shared by table exports,
// `query -o csv`, result-file exports and CSV imports, so that every CSV the
// project writes has the same bytes and reads back to the same values.
//
// The dialect is RFC 4180 (fields quoted with '"', a quote inside doubled,
// CRLF after every record) with PostgreSQL COPY's NULL convention: NULL is
// the null marker written unquoted (by default the empty string, so an
// unquoted empty field), and a value that merely looks like the marker is
// quoted (the empty string is written ""). Field contents are written and
// read byte for byte: a line break inside a quoted field stays what it was.
//
// encoding/csv cannot be used: it does not tell a quoted empty field from an
// unquoted one, and it rewrites line breaks inside quoted fields.
package csvio

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// bufferSize is the write buffer: big enough that the writer below sees
// few, large writes.
const bufferSize = 64 << 10

// ValidNull checks a null marker: it must not contain a quote or a line
// break (it could not be told from data), nor the delimiter.
func ValidNull(null string, comma rune) error {
	if strings.ContainsAny(null, "\"\r\n") || strings.ContainsRune(null, comma) {
		return fmt.Errorf("the NULL string %q must not contain a quote, a line break or the delimiter", null)
	}
	return nil
}

// Writer writes records in the dialect.
type Writer struct {
	bw      *bufio.Writer
	null    string
	scratch []byte
}

// NewWriter writes CSV to w with the given null marker ("" for the
// default). Call Flush at the end.
func NewWriter(w io.Writer, null string) (*Writer, error) {
	if err := ValidNull(null, ','); err != nil {
		return nil, err
	}
	return &Writer{bw: bufio.NewWriterSize(w, bufferSize), null: null}, nil
}

// WriteHeader writes a record of column names (never NULL).
func (w *Writer) WriteHeader(names []string) error {
	for i, n := range names {
		if i > 0 {
			w.bw.WriteByte(',')
		}
		w.text(n)
	}
	_, err := w.bw.WriteString("\r\n")
	return err
}

// WriteRow writes one record. Values are nil (NULL), int64, int, float64,
// bool, string or []byte (standard base64); anything else is printed with
// fmt. A REAL always has a fraction or an exponent so that it reads back
// as a REAL; ±Inf, which SQLite can store, is 1e999 / -1e999.
func (w *Writer) WriteRow(vals []any) error {
	for i, v := range vals {
		if i > 0 {
			w.bw.WriteByte(',')
		}
		b := w.scratch[:0]
		switch x := v.(type) {
		case nil:
			w.bw.WriteString(w.null)
			continue
		case string:
			w.text(x)
			continue
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case int:
			b = strconv.AppendInt(b, int64(x), 10)
		case float64:
			if math.IsNaN(x) { // SQLite stores NaN as NULL
				w.bw.WriteString(w.null)
				continue
			}
			b = AppendReal(b, x)
		case bool:
			b = strconv.AppendBool(b, x)
		case []byte:
			b = base64.StdEncoding.AppendEncode(b, x)
		default:
			b = fmt.Append(b, x)
		}
		w.scratch = b
		w.field(b)
	}
	_, err := w.bw.WriteString("\r\n")
	return err
}

// Flush writes what is buffered and reports the first write error.
func (w *Writer) Flush() error { return w.bw.Flush() }

// text writes a non-NULL string field.
func (w *Writer) text(s string) {
	if !needsQuotes(s, w.null) {
		w.bw.WriteString(s)
		return
	}
	w.bw.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		w.bw.WriteString(s[:i+1])
		w.bw.WriteByte('"')
		s = s[i+1:]
	}
	w.bw.WriteString(s)
	w.bw.WriteByte('"')
}

// field writes a non-NULL field given as bytes (numbers, base64).
func (w *Writer) field(b []byte) {
	if len(b) != len(w.null) || string(b) != w.null {
		w.bw.Write(b)
		return
	}
	w.text(string(b))
}

// needsQuotes: the marker itself, the delimiter, a quote or a line break.
// A byte loop: strings.ContainsAny builds its set of bytes on every call,
// which cost an export of short fields a few per cent.
func needsQuotes(s, null string) bool {
	if s == null {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// AppendReal writes a REAL with full precision so that it reads back as the
// same float64 and as a REAL: a '.' or an exponent is always present.
func AppendReal(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "1e999"...)
	case math.IsInf(f, -1):
		return append(b, "-1e999"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	for _, c := range b[start:] {
		if c == '.' || c == 'e' || c == 'N' {
			return b
		}
	}
	return append(b, '.', '0')
}

// ErrFieldCount is a record whose number of fields differs from the first.
var ErrFieldCount = errors.New("wrong number of fields")
