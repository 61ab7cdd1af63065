package sqltext

import "strings"

// PlaceholderKind tells the three spellings of a statement parameter.
type PlaceholderKind uint8

const (
	Positional PlaceholderKind = iota // ?
	Numbered                          // PostgreSQL's $1
	Named                             // :name, @name, $name
)

// Placeholder is one parameter marker of a statement, found by the
// dialect's lexer, so markers in strings, quoted names, dollar-quoted
// bodies and comments are never reported, nor the second colon of a ::
// cast or a slice bound such as a[1:n].
type Placeholder struct {
	Kind       PlaceholderKind
	Name       string // Named: the name without its prefix; Numbered: the digits
	Start, End int    // byte offsets of the whole marker in the source
}

// Placeholders returns the parameter markers of sql in order.
func (d Dialect) Placeholders(sql string) []Placeholder {
	toks := d.Lex(sql)
	var out []Placeholder
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Kind == Param:
			out = append(out, Placeholder{Numbered, t.Text[1:], t.Start, t.End})
		case t.IsPunct("?"):
			out = append(out, Placeholder{Positional, "", t.Start, t.End})
		case t.Kind == Word && strings.HasPrefix(t.Text, "$") && len(t.Text) > 1:
			// SQLite lexes $name as one word
			out = append(out, Placeholder{Named, t.Text[1:], t.Start, t.End})
		case isNamePrefix(toks, i):
			name := toks[i+1]
			out = append(out, Placeholder{Named, name.Text, t.Start, name.End})
			i++
		}
	}
	return out
}

// isNamePrefix reports whether toks[i] is the :, @ or $ of a named
// parameter: directly followed by a bare word, and not glued to a name, a
// number or another colon before it (a::int, a[1:n]) nor to a colon after.
func isNamePrefix(toks []Token, i int) bool {
	t := toks[i]
	if !t.IsPunct(":") && !t.IsPunct("@") && !t.IsPunct("$") {
		return false
	}
	if i+1 >= len(toks) || toks[i+1].Kind != Word || toks[i+1].Start != t.End {
		return false
	}
	if i > 0 && toks[i-1].End == t.Start {
		switch p := toks[i-1]; {
		case p.Kind == Word, p.Kind == Number, p.Kind == Ident, p.IsPunct(":"):
			return false
		}
	}
	return true
}

// LeadingWords returns the first n bare words of a statement in upper
// case, after any opening parentheses: "(SELECT 1)" → ["SELECT", "1"]
// stops at the number, so it gives ["SELECT"].
func (d Dialect) LeadingWords(sql string, n int) []string {
	var words []string
	lx := lexer{src: sql, d: d}
	for t, ok := lx.next(); ok && len(words) < n; t, ok = lx.next() {
		switch {
		case t.Kind == Word:
			words = append(words, t.Upper())
		case t.IsPunct("(") && len(words) == 0:
		default:
			return words
		}
	}
	return words
}

// HasWord reports whether the bare word w (case-insensitive) is one of the
// tokens of sql; a w inside a string, quoted name or comment is not.
func (d Dialect) HasWord(sql, w string) bool {
	lx := lexer{src: sql, d: d}
	for t, ok := lx.next(); ok; t, ok = lx.next() {
		if t.Is(w) {
			return true
		}
	}
	return false
}

// QuoteLiteral writes s as a string constant of the dialect: in single
// quotes, a quote doubled. PostgreSQL's form is quote_literal's: with
// backslashes doubled inside E'…' when there are any, so the constant
// means s whatever standard_conforming_strings says.
func (d Dialect) QuoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if d == Postgres && strings.Contains(s, `\`) {
		q = "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// HasParams reports whether sql has a parameter placeholder of its own. A
// wrapper that binds parameters of its own (the results pane's filter) must
// not be put around such a statement, whose placeholders would take the
// wrapper's values.
func (d Dialect) HasParams(sql string) bool { return len(d.Placeholders(sql)) > 0 }
