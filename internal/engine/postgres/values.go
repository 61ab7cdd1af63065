package postgres

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/dbforge/dbforge/internal/engine"
)

// collect reads the result window of rows (read in text format): offset
// rows skipped, then up to limit kept and one more looked for (HasMore).
// Rows stop at maxBytes too; a first row past it is a *TooLargeError.
func collect(rows pgx.Rows, tm *pgtype.Map, limit, offset int, maxBytes int64) (*engine.Result, error) {
	defer rows.Close()
	fields := rows.FieldDescriptions()
	res := &engine.Result{}
	if len(fields) > 0 {
		res.Returning = true
		res.Columns = make([]engine.Column, len(fields))
		for i, f := range fields {
			res.Columns[i] = engine.Column{Name: f.Name, Type: typeName(tm, f.DataTypeOID)}
		}
		res.Rows = [][]any{}
	}
	var size int64
	for rows.Next() {
		if !res.Returning {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(res.Rows) == limit {
			res.HasMore = true
			continue // the rest is read to end the statement, not kept
		}
		if res.HasMore {
			continue
		}
		raw := rows.RawValues()
		row := make([]any, len(raw))
		for i, r := range raw {
			row[i] = decodeText(tm, fields[i].DataTypeOID, r)
		}
		size += rowSize(res.Columns, row)
		if maxBytes > 0 && size > maxBytes {
			if len(res.Rows) == 0 {
				return nil, &engine.TooLargeError{Limit: maxBytes}
			}
			res.HasMore = true
			continue
		}
		res.Rows = append(res.Rows, row)
	}
	rows.Close()
	return res, rows.Err()
}

// typeName is the PostgreSQL name of a type ("int8", "_text" for text[]).
func typeName(tm *pgtype.Map, oid uint32) string {
	if t, ok := tm.TypeForOID(oid); ok {
		return t.Name
	}
	return "oid:" + strconv.FormatUint(uint64(oid), 10)
}

// decodeText turns a value in PostgreSQL's text format into the contract's
// JSON value: integers exact (int64), floats as numbers (NaN and infinities,
// which JSON lacks, as text), bool, bytea as bytes (the blob object),
// json/jsonb as their JSON, arrays as JSON arrays, and everything else
// (numeric, timestamps, dates, uuid, text, …) as the server's text.
func decodeText(tm *pgtype.Map, oid uint32, raw []byte) any {
	if raw == nil {
		return nil
	}
	s := string(raw)
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case pgtype.Float4OID, pgtype.Float8OID:
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	case pgtype.BoolOID:
		return s == "t"
	case pgtype.ByteaOID:
		if b, err := hex.DecodeString(strings.TrimPrefix(s, `\x`)); err == nil {
			return b
		}
	case pgtype.JSONOID, pgtype.JSONBOID:
		if json.Valid(raw) {
			return json.RawMessage(s)
		}
	}
	if t, ok := tm.TypeForOID(oid); ok {
		if ac, ok := t.Codec.(*pgtype.ArrayCodec); ok {
			if v, ok := parseArray(tm, ac.ElementType.OID, s); ok {
				return v
			}
		}
	}
	return s
}

// parseArray reads an array literal ({1,2,NULL}, {{"a b",c}}) into nested
// []any, each element decoded as its type. ok is false for a form it does
// not know (then the literal is kept as text).
func parseArray(tm *pgtype.Map, elem uint32, s string) (any, bool) {
	if i := strings.Index(s, "="); i >= 0 && strings.HasPrefix(s, "[") {
		s = s[i+1:] // explicit bounds: [0:1]={a,b}
	}
	p := arrayParser{s: s, tm: tm, elem: elem}
	v, ok := p.array()
	return v, ok && p.i == len(p.s)
}

type arrayParser struct {
	s    string
	i    int
	tm   *pgtype.Map
	elem uint32
}

func (p *arrayParser) array() ([]any, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return nil, false
	}
	p.i++
	out := []any{}
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return out, true
	}
	for p.i < len(p.s) {
		var v any
		switch p.s[p.i] {
		case '{':
			a, ok := p.array()
			if !ok {
				return nil, false
			}
			v = a
		case '"':
			str, ok := p.quoted()
			if !ok {
				return nil, false
			}
			v = decodeText(p.tm, p.elem, []byte(str))
		default:
			start := p.i
			for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != '}' {
				p.i++
			}
			word := p.s[start:p.i]
			if word == "NULL" {
				v = nil
			} else {
				v = decodeText(p.tm, p.elem, []byte(word))
			}
		}
		out = append(out, v)
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return out, true
		default:
			return nil, false
		}
	}
	return nil, false
}

// quoted reads a double-quoted element with backslash escapes.
func (p *arrayParser) quoted() (string, bool) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", false
			}
			b.WriteByte(p.s[p.i])
		case '"':
			p.i++
			return b.String(), true
		default:
			b.WriteByte(c)
		}
		p.i++
	}
	return "", false
}

// rowSize estimates a row's size once encoded as a JSON object, as the
// engine's result budget counts it for SQLite.
func rowSize(cols []engine.Column, row []any) int64 {
	n := int64(2)
	for i, v := range row {
		n += int64(len(cols[i].Name)) + 4
		n += valueSize(v)
	}
	return n
}

func valueSize(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(len(x)) + 2
	case []byte:
		return int64(len(x))*4/3 + 16
	case json.RawMessage:
		return int64(len(x))
	case []any:
		n := int64(2)
		for _, e := range x {
			n += valueSize(e) + 1
		}
		return n
	}
	return 24
}
