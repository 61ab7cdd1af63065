package engine

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// bindArgs converts a query's parameters to driver arguments: positional
// first, then named ones with any :, @ or $ prefix removed.
func bindArgs(params []any, named map[string]any) ([]any, error) {
	if len(params) == 0 && len(named) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(params)+len(named))
	for i, p := range params {
		v, err := bindValue(p)
		if err != nil {
			return nil, &BadInputError{Msg: fmt.Sprintf("Parameter %d: %v", i+1, err)}
		}
		args = append(args, v)
	}
	for k, p := range named {
		name := strings.TrimLeft(k, ":@$")
		if !validParamName(name) {
			return nil, &BadInputError{Msg: fmt.Sprintf("Invalid parameter name %q.", k)}
		}
		v, err := bindValue(p)
		if err != nil {
			return nil, &BadInputError{Msg: fmt.Sprintf("Parameter %q: %v", k, err)}
		}
		args = append(args, sql.Named(name, v))
	}
	return args, nil
}

// validParamName follows database/sql's rule: a letter, then letters,
// digits or underscores.
func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7f
		if !letter && (i == 0 || r != '_' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

// bindValue accepts the JSON-ish value types and normalises Go's other
// numeric types to int64/float64.
func bindValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, string, []byte, bool:
		return x, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return float64(x), nil
		}
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return float64(x), nil
		}
		return int64(x), nil
	case float32:
		return float64(x), nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("invalid number %q", x.String())
		}
		return f, nil
	}
	return nil, fmt.Errorf("unsupported value type %T (use a number, string, boolean, null or bytes)", v)
}
