// Package jsonvalue is the value codec of the wire contract (API.md
// "Values"), both ways: it writes SQLite values as JSON, INTEGER as an
// exact int64, REAL always with a fraction or exponent (6363.0), TEXT as a
// string, BLOB as {"$blob": "<base64>"}, NULL as null; it reads them back
// (Decode, ParseNumber, BlobText) and names their storage class. The
// gateway's results, the engine's JSON exports, the gateway's parameter
// binding and the client's decoding all go through it, so they cannot
// drift apart.
package jsonvalue

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// hexDigits for \u00XX escapes.
const hexDigits = "0123456789abcdef"

// safeASCII[c] is true for bytes that need no escaping inside a JSON string.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// U+2028/U+2029 are escaped so the output is also valid JavaScript.
func AppendString(b []byte, s string) []byte {
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

// AppendFloat appends f as a JSON number that always reads back as a float:
// 6363 is written 6363.0. NaN and ±Inf, which JSON cannot carry, become null.
func AppendFloat(b []byte, f float64) []byte {
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

// AppendValue appends one result value. Engine rows hold int64, float64,
// string, []byte or nil; anything else goes through encoding/json.
func AppendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return AppendFloat(b, x)
	case string:
		return AppendString(b, x)
	case []byte:
		return AppendBlob(b, x)
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

// AppendBlob writes a BLOB as {"$blob": "<standard base64>"}.
func AppendBlob(b []byte, x []byte) []byte {
	b = append(b, `{"$blob":"`...)
	b = base64.StdEncoding.AppendEncode(b, x)
	return append(b, `"}`...)
}

// StorageClass names the SQLite storage class of a value as the engine
// and the client hold it (int64, float64, string, []byte; bool counts as
// INTEGER, as SQLite stores it); "" for NULL.
func StorageClass(v any) string {
	switch v.(type) {
	case int64, bool:
		return "INTEGER"
	case float64:
		return "REAL"
	case string:
		return "TEXT"
	case []byte:
		return "BLOB"
	}
	return ""
}

// CompositeText is a JSON object or array value (PostgreSQL's json, jsonb
// and array columns, as the gateway sends them) as compact JSON text, the
// one way people are shown one; ok is false for any other value.
func CompositeText(v any) (text string, ok bool) {
	switch v.(type) {
	case map[string]any, []any:
		if b, err := json.Marshal(v); err == nil {
			return string(b), true
		}
	}
	return "", false
}
