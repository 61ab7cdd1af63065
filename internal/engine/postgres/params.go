package postgres

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/internal/engine"
)

// bindParams maps the API's placeholders to PostgreSQL's: each ? (when
// positional params are given) becomes $1, $2, …; :name, @name and $name
// (when named params are given and name is one of them) become the next
// numbers. Native $1 placeholders pass through. Quoted text, identifiers,
// dollar-quoted bodies and comments are left alone, and so is :: (a cast).
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
	positional, native := 0, false
	numberOf := map[string]int{}
	next := len(params)
	s := src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := skipQuoted(s, i, c)
			b.WriteString(s[i:j])
			i = j
			continue
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			j := skipBlockComment(s, i)
			b.WriteString(s[i:j])
			i = j
			continue
		case c == '$':
			if j, ok := skipDollarQuoted(s, i); ok {
				b.WriteString(s[i:j])
				i = j
				continue
			}
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				native = true
			}
		case c == ':' && strings.HasPrefix(s[i:], "::"):
			b.WriteString("::")
			i += 2
			continue
		case c == '?' && len(params) > 0:
			positional++
			fmt.Fprintf(&b, "$%d", positional)
			i++
			continue
		}
		if (c == ':' || c == '@' || c == '$') && len(names) > 0 && (i == 0 || !isIdentByte(s[i-1])) {
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			name := s[i+1 : j]
			if v, ok := names[name]; ok && name != "" && !(name[0] >= '0' && name[0] <= '9') {
				n, seen := numberOf[name]
				if !seen {
					tv, err := textValue(v)
					if err != nil {
						return "", nil, &engine.BadInputError{Msg: fmt.Sprintf("Parameter %q: %v", name, err)}
					}
					next++
					n = next
					numberOf[name] = n
					args = append(args, tv)
				}
				fmt.Fprintf(&b, "$%d", n)
				i = j
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	if positional > 0 && native {
		return "", nil, &engine.BadInputError{Msg: "Use either ? or $1-style placeholders in one statement, not both."}
	}
	if positional > 0 && positional != len(params) {
		return "", nil, &engine.BadInputError{Msg: fmt.Sprintf("The statement has %d placeholders but %d parameters were given.", positional, len(params))}
	}
	return b.String(), args, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the index after a '…' or "…" token starting at i
// (” and "" escape the quote; E'…' strings also take backslashes).
func skipQuoted(s string, i int, q byte) int {
	escapes := q == '\'' && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i == 1 || !isIdentByte(s[i-2]))
	for j := i + 1; j < len(s); j++ {
		switch {
		case escapes && s[j] == '\\':
			j++
		case s[j] == q && j+1 < len(s) && s[j+1] == q:
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s)
}

// skipBlockComment returns the index after a (nested) /* … */ comment.
func skipBlockComment(s string, i int) int {
	depth := 0
	for j := i; j < len(s)-1; j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j++
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// skipDollarQuoted returns the index after $tag$…$tag$ starting at i.
func skipDollarQuoted(s string, i int) (int, bool) {
	j := i + 1
	for j < len(s) && (isIdentByte(s[j]) && !(j == i+1 && s[j] >= '0' && s[j] <= '9')) {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return 0, false
	}
	tag := s[i : j+1]
	end := strings.Index(s[j+1:], tag)
	if end < 0 {
		return len(s), true
	}
	return j + 1 + end + len(tag), true
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
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("not a finite number")
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case json.Number:
		return x.String(), nil
	case []byte:
		return `\x` + hex.EncodeToString(x), nil
	}
	return nil, fmt.Errorf("unsupported value type %T (use a number, string, boolean, null or bytes)", v)
}
