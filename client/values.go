package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// decodeValue turns one JSON value of a result row into its Go value, by
// the contract's value codec (internal/jsonvalue): integers → int64
// (exactly), other numbers → float64, strings, null → nil,
// {"$blob": "<base64>"} → []byte, booleans → bool.
func decodeValue(raw []byte) (any, error) { return jsonvalue.Decode(raw) }

// appendValue encodes a parameter or cell value for the gateway with the
// contract's value codec: floats always with a fraction (so 6363.0 binds as
// REAL, not INTEGER), []byte as {"$blob": ...}, integers exactly; Go types
// beyond SQLite's (unsigned, json.Number, time) are checked or converted
// first, anything else goes through encoding/json.
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
		return jsonvalue.AppendString(b, x), nil
	case []byte:
		return jsonvalue.AppendBlob(b, x), nil
	case json.Number:
		if _, err := jsonvalue.ParseNumber(x.String()); err != nil {
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

// appendFloat refuses what JSON cannot carry (jsonvalue would write null).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("float %v cannot be sent as JSON", f)
	}
	return jsonvalue.AppendFloat(b, f), nil
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
