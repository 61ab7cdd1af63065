package jsonvalue

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseNumber reads a JSON number as SQLite holds it: an integer literal
// that fits 64 bits → int64, exactly; any other number → float64 (so a
// number past int64 is kept approximately, as SQLite itself would).
func ParseNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("number %s is out of range", s)
	}
	return f, nil
}

// BlobText recognises the BLOB object {"$blob": "<base64>"} among decoded
// JSON objects and returns its text; ok is false for any other object.
func BlobText(m map[string]any) (text string, ok bool) {
	s, ok := m["$blob"].(string)
	return s, ok && len(m) == 1
}

// DecodeBlob reads the base64 text of a BLOB object (standard encoding,
// as AppendBlob writes it).
func DecodeBlob(text string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(text)
}

// Decode reads one JSON value as a SQLite value: numbers as ParseNumber
// says, strings, null → nil, {"$blob": "<base64>"} → []byte, booleans →
// bool. Other objects and arrays (never sent for one value) decode
// generically with the same number and blob rules inside.
func Decode(raw []byte) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("empty JSON value")
	}
	switch c := raw[0]; {
	case c == 'n':
		return nil, nil
	case c == 't':
		return true, nil
	case c == 'f':
		return false, nil
	case c == '"':
		return decodeString(raw)
	case c == '-' || (c >= '0' && c <= '9'):
		return ParseNumber(string(raw))
	case c == '{':
		if b, ok, err := decodeBlobObject(raw); ok || err != nil {
			return b, err
		}
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v)
}

// decodeString avoids encoding/json for strings without escapes.
func decodeString(raw []byte) (any, error) {
	if len(raw) >= 2 && raw[len(raw)-1] == '"' {
		inner := raw[1 : len(raw)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeBlobObject reads {"$blob": "<base64>"}; ok is false for any other
// object.
func decodeBlobObject(raw []byte) (b []byte, ok bool, err error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) != 1 {
		return nil, false, nil
	}
	v, found := m["$blob"]
	if !found {
		return nil, false, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, true, errors.New(`"$blob" must hold a base64 string`)
	}
	b, err = DecodeBlob(s)
	if err != nil {
		return nil, true, fmt.Errorf(`"$blob" is not valid base64: %w`, err)
	}
	return b, true, nil
}

// normalize applies the number and blob rules inside generic values.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return ParseNumber(x.String())
	case []any:
		for i := range x {
			n, err := normalize(x[i])
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
	case map[string]any:
		if s, ok := BlobText(x); ok {
			return DecodeBlob(s)
		}
		for k := range x {
			n, err := normalize(x[k])
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
	}
	return v, nil
}
