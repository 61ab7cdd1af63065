package postgres

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// bindParams maps the API's placeholders to PostgreSQL's: each ? (when
// positional params are given) becomes $1, $2, …; :name, @name and $name
// (when named params are given and name is one of them) become the next
// numbers. Native $1 placeholders pass through. The markers are found by
// sqltext's PostgreSQL lexer, so quoted text, identifiers, dollar-quoted
// bodies, comments and :: casts are left alone.
// Values are sent as text and typed by PostgreSQL from their context
// (bytes as bytea's \x hex form).
func bindParams(src string, params []any, named map[string]any) (string, []any, error) {
	if len(params) == 0 && len(named) == 0 {
		return src, nil, nil
	}
	args := make([]any, 0, len(params)+len(named))
	for i, p := range params {
		v, err := textValue(p)
		if err != nil {
			return "", nil, &engine.BadInputError{Msg: fmt.Sprintf("Parameter %d: %v", i+1, err)}
		}
		args = append(args, v)
	}
	names := map[string]any{}
	for k, v := range named {
		names[strings.TrimLeft(k, ":@$")] = v
	}
	var b strings.Builder
	positional, native, copied := 0, false, 0
	numberOf := map[string]int{}
	next := len(params)
	for _, ph := range sqltext.Postgres.Placeholders(src) {
		var repl string
		switch ph.Kind {
		case sqltext.Numbered:
			native = true
			continue
		case sqltext.Positional:
			if len(params) == 0 {
				continue // ? is also a jsonb operator
			}
			positional++
			repl = "$" + strconv.Itoa(positional)
		case sqltext.Named:
			v, ok := names[ph.Name]
			if !ok {
				continue // @ is also an operator
			}
			n, seen := numberOf[ph.Name]
			if !seen {
				tv, err := textValue(v)
				if err != nil {
					return "", nil, &engine.BadInputError{Msg: fmt.Sprintf("Parameter %q: %v", ph.Name, err)}
				}
				next++
				n = next
				numberOf[ph.Name] = n
				args = append(args, tv)
			}
			repl = "$" + strconv.Itoa(n)
		}
		b.WriteString(src[copied:ph.Start])
		b.WriteString(repl)
		copied = ph.End
	}
	b.WriteString(src[copied:])
	if positional > 0 && native {
		return "", nil, &engine.BadInputError{Msg: "Use either ? or $1-style placeholders in one statement, not both."}
	}
	if positional > 0 && positional != len(params) {
		return "", nil, &engine.BadInputError{Msg: fmt.Sprintf("The statement has %d placeholders but %d parameters were given.", positional, len(params))}
	}
	return b.String(), args, nil
}

// numberText writes an int64, int or float64 as PostgreSQL reads a number,
// for parameters and literals alike; a float must be finite.
func numberText(v any) (string, error) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("not a finite number")
		}
		// a whole number in plain digits, so an integer column takes it
		// (JSON clients send 1e6 or 1000000.0 for one); others shortest
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("not a number: %T", v)
}

// textValue writes a parameter in PostgreSQL's text input form.
func textValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64, int, float64:
		text, err := numberText(x)
		if err != nil {
			return nil, err
		}
		return text, nil
	case json.Number:
		return x.String(), nil
	case []byte:
		return `\x` + hex.EncodeToString(x), nil
	}
	return nil, fmt.Errorf("unsupported value type %T (use a number, string, boolean, null or bytes)", v)
}
