package cli

import (
	"regexp"
	"strconv"
	"strings"
)

// namedParam matches "name=value" (with an optional :, @ or $ prefix).
var namedParam = regexp.MustCompile(`^([:@$]?[A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

// floatText is a plain decimal number; ParseFloat alone would also take
// "inf", "NaN" and hex floats, which are text here.
var floatText = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// parseParams turns repeated --param values into the query's parameters:
// a list for positional ones, a map when every value is "name=value".
func parseParams(list []string) (any, error) {
	if len(list) == 0 {
		return nil, nil
	}
	var positional []any
	named := map[string]any{}
	for _, p := range list {
		if m := namedParam.FindStringSubmatch(p); m != nil {
			if _, dup := named[m[1]]; dup {
				return nil, usagef("--param %s given twice", m[1])
			}
			named[m[1]] = typedParam(m[2])
			continue
		}
		positional = append(positional, typedParam(p))
	}
	switch {
	case len(named) > 0 && len(positional) > 0:
		return nil, usagef("--param: use either positional values or name=value pairs, not both (quote a text value containing '=' as 'text')")
	case len(named) > 0:
		return named, nil
	}
	return positional, nil
}

// typedParam reads one value: null → NULL, 42 → INTEGER, 3.5 → REAL,
// 'quoted' → TEXT (outer quotes removed, a doubled quote kept once),
// anything else → TEXT as is.
// Quote numbers that must stay text, such as '007'.
func typedParam(s string) any {
	if s == "null" || s == "NULL" {
		return nil
	}
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if floatText.MatchString(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}
