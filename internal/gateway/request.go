package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// errEmptyBody marks a request that needed a body and sent none.
var errEmptyBody = errors.New("empty body")

// decodeBody reads a JSON object into dst. A body that is not JSON is 400;
// a field of the wrong type is 422; an empty body is 422 unless optional.
func (g *Gateway) decodeBody(r *http.Request, dst any, optional bool) error {
	body, err := readBody(r, g.maxBody)
	if err != nil {
		return err
	}
	return unmarshalBodyBytes(body, dst, optional)
}

// decodeQueryBody reads /query's body: the common shape in one pass
// (decodeQueryFast), anything else as decodeBody does.
func (g *Gateway) decodeQueryBody(r *http.Request, req *queryRequest) error {
	body, err := readBody(r, g.maxBody)
	if err != nil {
		return err
	}
	if decodeQueryFast(body, req) {
		return nil
	}
	return unmarshalBodyBytes(body, req, false)
}

// unmarshalBodyBytes is decodeBody after the body is read.
func unmarshalBodyBytes(body []byte, dst any, optional bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return invalid("Request body is required: a JSON object.")
	}
	return unmarshalBody(body, dst)
}

func unmarshalBody(body []byte, dst any) error {
	err := json.Unmarshal(body, dst)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return invalid("Request body must be a JSON object.")
		}
		return invalid(fmt.Sprintf("Field '%s' must be %s, not %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("Request body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ") + ".")
	}
	return badRequest("Request body is not valid JSON.")
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "an integer"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "bool":
		return "a boolean"
	case kind == "slice", kind == "array":
		return "an array"
	case kind == "map", kind == "struct":
		return "an object"
	}
	return "another type"
}

// decodeParams turns the raw "params" value into positional or named
// parameters: an array binds by position, an object by name, null is none.
func decodeParams(raw json.RawMessage) (pos []any, named map[string]any, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, nil
	}
	v, err := decodeValueJSON(raw)
	if err != nil {
		return nil, nil, err
	}
	switch x := v.(type) {
	case []any:
		for i := range x {
			if x[i], err = bindable(x[i]); err != nil {
				return nil, nil, invalid(fmt.Sprintf("Parameter %d: %v.", i+1, err))
			}
		}
		return x, nil, nil
	case map[string]any:
		for k := range x {
			if x[k], err = bindable(x[k]); err != nil {
				return nil, nil, invalid(fmt.Sprintf("Parameter '%s': %v.", k, err))
			}
		}
		return nil, x, nil
	}
	return nil, nil, invalid("Field 'params' must be an array (positional) or an object (named).")
}

// decodeValueJSON decodes with numbers kept as json.Number, so integers
// keep their full 64 bits.
func decodeValueJSON(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, badRequest("Request body is not valid JSON.")
	}
	return v, nil
}

// bindable converts a decoded JSON value into what the engine binds, by
// the contract's value codec (internal/jsonvalue): integers → int64
// (exactly), other numbers → float64, {"$blob": base64} → []byte; strings,
// booleans and null as they are.
func bindable(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool:
		return x, nil
	case json.Number:
		return jsonvalue.ParseNumber(x.String())
	case map[string]any:
		if text, ok := jsonvalue.BlobText(x); ok {
			b, err := jsonvalue.DecodeBlob(text)
			if err != nil {
				return nil, errors.New(`"$blob" must hold standard base64`)
			}
			return b, nil
		}
	}
	return nil, errors.New(`unsupported value (use a number, string, boolean, null or {"$blob": "<base64>"})`)
}

// rawPresent reports whether a JSON field was sent with a non-null value.
func rawPresent(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && string(raw) != "null"
}
