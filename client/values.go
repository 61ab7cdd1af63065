package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// decodeValue turns one JSON value of a result row into its Go value:
// integers → int64 (exactly), other numbers → float64, strings, null → nil,
// {"$blob": "<base64>"} → []byte, booleans → bool. Other objects and arrays
// (never sent by DB-Forge) decode generically with the same number rules.
func decodeValue(raw []byte) (any, error) {
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
		return decodeNumber(string(raw))
	case c == '{':
		if b, ok, err := decodeBlob(raw); ok || err != nil {
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

// decodeNumber keeps integers exact and everything else float64.
func decodeNumber(s string) (any, error) {
	if !containsAny(s, ".eE") {
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

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

// decodeBlob recognises {"$blob": "<base64>"}; ok is false for any other
// object.
func decodeBlob(raw []byte) (b []byte, ok bool, err error) {
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
	b, err = base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, true, fmt.Errorf(`"$blob" is not valid base64: %w`, err)
	}
	return b, true, nil
}

// normalize applies the number and blob rules inside generic values.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return decodeNumber(x.String())
	case []any:
		for i := range x {
			n, err := normalize(x[i])
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
	case map[string]any:
		if s, ok := x["$blob"].(string); ok && len(x) == 1 {
			return base64.StdEncoding.DecodeString(s)
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

// appendValue encodes a parameter or cell value for the gateway: floats
// always with a fraction (so 6363.0 binds as REAL, not INTEGER), []byte as
// {"$blob": ...}, integers exactly; anything else through encoding/json.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case uint:
		return appendUint(b, uint64(x))
	case uint8:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint64:
		return appendUint(b, x)
	case float32:
		return appendFloat(b, float64(x))
	case float64:
		return appendFloat(b, x)
	case string:
		return appendJSON(b, x)
	case []byte:
		b = append(b, `{"$blob":"`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...), nil
	case json.Number:
		if _, err := decodeNumber(x.String()); err != nil {
			return nil, err
		}
		return append(b, x...), nil
	case json.RawMessage:
		if !json.Valid(x) {
			return nil, errors.New("json.RawMessage value is not valid JSON")
		}
		return append(b, x...), nil
	case time.Time:
		return appendJSON(b, x.Format(time.RFC3339Nano))
	}
	return appendJSON(b, v)
}

// appendUint refuses values SQLite's 64-bit signed integers cannot hold.
func appendUint(b []byte, x uint64) ([]byte, error) {
	if x > math.MaxInt64 {
		return nil, fmt.Errorf("integer %d overflows int64", x)
	}
	return strconv.AppendUint(b, x, 10), nil
}

func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("float %v cannot be sent as JSON", f)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if !containsAny(string(b[start:]), ".eE") {
		b = append(b, '.', '0')
	}
	return b, nil
}

func appendJSON(b []byte, v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

// encodeParams encodes QueryRequest.Params: any slice or array binds by
// position, a map with string keys by name, nil is no parameters.
func encodeParams(p any) (json.RawMessage, error) {
	if p == nil {
		return nil, nil
	}
	switch x := p.(type) {
	case []any:
		return encodeList(len(x), func(i int) any { return x[i] })
	case map[string]any:
		return encodeObject(x)
	case json.RawMessage:
		return x, nil
	}
	rv := reflect.ValueOf(p)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return nil, errors.New("params: a []byte is one value; wrap it in []any{...}")
		}
		return encodeList(rv.Len(), func(i int) any { return rv.Index(i).Interface() })
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, errors.New("params: a map must have string keys")
		}
		m := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			m[iter.Key().String()] = iter.Value().Interface()
		}
		return encodeObject(m)
	}
	return nil, fmt.Errorf("params: want a slice (positional) or a map (named), got %T", p)
}

func encodeList(n int, at func(int) any) (json.RawMessage, error) {
	b := append(make([]byte, 0, 16*n+2), '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, at(i)); err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i+1, err)
		}
	}
	return append(b, ']'), nil
}

func encodeObject(m map[string]any) (json.RawMessage, error) {
	b := []byte{'{'}
	first := true
	for k, v := range m {
		if !first {
			b = append(b, ',')
		}
		first = false
		var err error
		if b, err = appendJSON(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = appendValue(b, v); err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
	}
	return append(b, '}'), nil
}
