package gateway

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// decodeQueryFast reads the common /query body in one pass — an object of
// "sql", "params" (or "parameters") as an array of numbers, strings,
// booleans and nulls, "limit", "offset", "shape" and "read_only" — and
// binds the parameters as it goes, so they are not decoded a second time
// from a raw message. It takes nothing it is not sure of: any other key,
// key spelling, value type, escape in a key, invalid UTF-8, number out of
// range or malformed JSON returns false and the body is read by
// encoding/json and decodeParams instead, which decide the answer (and the
// error message) exactly as before. On false req is untouched.
func decodeQueryFast(body []byte, req *queryRequest) bool {
	p := fastParser{b: body}
	var out queryRequest
	var params, parameters []any // nil: absent or null
	if !p.consume('{') {
		return false
	}
	if p.peek() == '}' {
		return false // no sql: the slow path words the error
	}
	for {
		key, ok := p.plainString()
		if !ok || !p.consume(':') {
			return false
		}
		switch string(key) {
		case "sql":
			s, ok := p.stringValue()
			if !ok {
				return false
			}
			out.SQL = &s
		case "params", "parameters":
			list, ok := p.paramList()
			if !ok {
				return false
			}
			if string(key) == "params" {
				params = list
			} else {
				parameters = list
			}
		case "limit", "offset":
			n, ok := p.smallInt()
			if !ok {
				return false
			}
			if string(key) == "limit" {
				out.Limit = n
			} else {
				out.Offset = n
			}
		case "shape":
			s, ok := p.stringValue()
			if !ok {
				return false
			}
			out.Shape = s
		case "read_only":
			b, ok := p.boolValue()
			if !ok {
				return false
			}
			out.ReadOnly = b
		default:
			return false
		}
		if p.consume(',') {
			continue
		}
		if !p.consume('}') {
			return false
		}
		break
	}
	p.space()
	if p.i != len(p.b) || out.SQL == nil {
		return false
	}
	// toQuery's rule: params when sent and not null, else the MK1 alias
	out.decoded, out.predecoded = parameters, true
	if params != nil {
		out.decoded = params
	}
	*req = out
	return true
}

// fastParser walks a JSON text; every method skips leading whitespace
// and reports false for anything outside the small subset it reads.
type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) peek() byte {
	p.space()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *fastParser) consume(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

// plainString reads a string without escapes or control characters, in
// valid UTF-8, and returns its bytes (not copied).
func (p *fastParser) plainString() ([]byte, bool) {
	if !p.consume('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// stringValue reads a string; one with escapes is decoded by
// encoding/json (the same rules, e.g. for \u surrogates).
func (p *fastParser) stringValue() (string, bool) {
	if p.peek() != '"' {
		return "", false
	}
	start := p.i
	if s, ok := p.plainString(); ok {
		return string(s), true
	}
	p.i = start + 1
	escaped := false
	for ; p.i < len(p.b); p.i++ {
		c := p.b[p.i]
		if c < 0x20 {
			return "", false
		}
		if escaped {
			escaped = false
			continue
		}
		if c == '\\' {
			escaped = true
		} else if c == '"' {
			break
		}
	}
	if p.i >= len(p.b) {
		return "", false
	}
	p.i++
	raw := p.b[start:p.i]
	if !utf8.Valid(raw) {
		return "", false // encoding/json replaces invalid bytes; let it
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// paramList reads null (nil, true) or an array of scalars bound as
// bindable binds them.
func (p *fastParser) paramList() ([]any, bool) {
	switch p.peek() {
	case 'n':
		return nil, p.literal("null")
	case '[':
	default:
		return nil, false
	}
	p.i++
	list := []any{}
	if p.consume(']') {
		return list, true
	}
	for {
		v, ok := p.scalar()
		if !ok {
			return nil, false
		}
		list = append(list, v)
		if p.consume(',') {
			continue
		}
		return list, p.consume(']')
	}
}

// scalar reads a number, string, boolean or null as a bound value.
func (p *fastParser) scalar() (any, bool) {
	switch c := p.peek(); {
	case c == '"':
		return p.stringValue()
	case c == 't' || c == 'f':
		return p.boolValue()
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		text, ok := p.number()
		if !ok {
			return nil, false
		}
		v, err := jsonvalue.ParseNumber(text)
		return v, err == nil
	}
	return nil, false
}

func (p *fastParser) boolValue() (bool, bool) {
	switch p.peek() {
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	}
	return false, false
}

func (p *fastParser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// number reads a number by JSON's grammar and returns its text.
func (p *fastParser) number() (string, bool) {
	p.space()
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return "", false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return "", false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return "", false
		}
	}
	return string(p.b[start:p.i]), true
}

// smallInt reads an integer that surely fits an int (at most 18 digits,
// no fraction or exponent), as encoding/json would decode it into one.
func (p *fastParser) smallInt() (int, bool) {
	text, ok := p.number()
	if !ok || len(text) > 19 {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil
}
