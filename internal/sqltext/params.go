package sqltext

import "strings"

// HasParams reports whether sql has a parameter placeholder of its own,
// outside strings, comments and quoted names: SQLite's ?, ?NNN, :name,
// @name and $name; PostgreSQL's $1. A wrapper that binds parameters of its
// own (the results pane's filter) must not be put around such a statement,
// whose placeholders would take the wrapper's values.
func (d Dialect) HasParams(sql string) bool {
	toks := d.Lex(sql)
	for i, t := range toks {
		switch {
		case t.Kind == Param:
			return true
		case d == Postgres:
			// no named parameters there; x::text is a cast
		case t.IsPunct("?"):
			return true
		case t.Kind == Word && strings.HasPrefix(t.Text, "$") && len(t.Text) > 1:
			return true
		case (t.IsPunct(":") || t.IsPunct("@")) && i+1 < len(toks) &&
			toks[i+1].Start == t.End && (toks[i+1].Kind == Word || toks[i+1].Kind == Number):
			return true
		}
	}
	return false
}
