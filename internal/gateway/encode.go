package gateway

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/engine"
)

// maxPooledBuffer keeps one huge result from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// bufPool recycles response buffers; one per Gateway.
type bufPool struct{ p sync.Pool }

func (bp *bufPool) get() *[]byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

func (bp *bufPool) put(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		bp.p.Put(b)
	}
}

// hexDigits for \u00XX escapes.
const hexDigits = "0123456789abcdef"

// safeASCII[c] is true for bytes that need no escaping inside a JSON string.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// U+2028/U+2029 are escaped so the output is also valid JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safeASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFloat appends f as a JSON number that always reads back as a float:
// 6363 is written 6363.0. NaN and ±Inf, which JSON cannot carry, become null.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it
		n := len(b)
		if n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, '.', '0')
}

// appendValue appends one result value. Engine rows hold int64, float64,
// string, []byte or nil; anything else goes through encoding/json.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendFloat(b, x)
	case string:
		return appendString(b, x)
	case []byte:
		return appendBlob(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

// appendBlob writes a BLOB as {"$blob": "<standard base64>"}.
func appendBlob(b []byte, x []byte) []byte {
	b = append(b, `{"$blob":"`...)
	b = base64.StdEncoding.AppendEncode(b, x)
	return append(b, `"}`...)
}

// appendMillis appends a duration in milliseconds, with a fraction.
func appendMillis(b []byte, d time.Duration) []byte {
	return appendFloat(b, math.Round(float64(d)/1e3)/1e3)
}

// appendResult encodes a query result. Row results carry MK1's data and
// rows_affected (rows returned) plus columns, row_count, has_more and
// execution_time_ms; asRows puts arrays in "rows" instead of objects in
// "data". Other statements carry MK1's message, rows_affected and
// last_insert_id.
func appendResult(b []byte, res *engine.Result, asRows bool) []byte {
	if !res.Returning {
		b = append(b, `{"message":"Query executed successfully.","rows_affected":`...)
		b = strconv.AppendInt(b, res.RowsAffected, 10)
		b = append(b, `,"last_insert_id":`...)
		b = strconv.AppendInt(b, res.LastInsertID, 10)
		b = append(b, `,"execution_time_ms":`...)
		b = appendMillis(b, res.Elapsed)
		return append(b, '}')
	}
	b = append(b, `{"columns":[`...)
	for i, c := range res.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, c.Name)
		b = append(b, `,"type":`...)
		b = appendString(b, c.Type)
		b = append(b, '}')
	}
	if asRows {
		b = append(b, `],"rows":[`...)
		b = appendRowArrays(b, res.Rows)
	} else {
		b = append(b, `],"data":[`...)
		b = appendRowObjects(b, res.Columns, res.Rows)
	}
	n := int64(len(res.Rows))
	b = append(b, `],"rows_affected":`...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `,"row_count":`...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `,"has_more":`...)
	b = strconv.AppendBool(b, res.HasMore)
	b = append(b, `,"execution_time_ms":`...)
	b = appendMillis(b, res.Elapsed)
	return append(b, '}')
}

func appendRowArrays(b []byte, rows [][]any) []byte {
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, v)
		}
		b = append(b, ']')
	}
	return b
}

// appendRowObjects writes rows as objects whose keys keep column order.
// Keys are escaped once per result, not once per row.
func appendRowObjects(b []byte, cols []engine.Column, rows [][]any) []byte {
	if len(rows) == 0 {
		return b
	}
	var keyBuf [256]byte
	keys := keyBuf[:0]
	var ends [16]int
	end := ends[:0]
	for _, c := range cols {
		keys = appendString(keys, c.Name)
		keys = append(keys, ':')
		end = append(end, len(keys))
	}
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		prev := 0
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			if j < len(end) {
				b = append(b, keys[prev:end[j]]...)
				prev = end[j]
			} else { // more values than columns: never from the engine, still valid JSON
				b = appendString(b, strconv.Itoa(j))
				b = append(b, ':')
			}
			b = appendValue(b, v)
		}
		b = append(b, '}')
	}
	return b
}
