package client

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// Maps returns the rows of a result as maps from column name to value
// (int64, float64, string, []byte or nil). With duplicate column names the
// last one wins; use Rows when names repeat.
func (r *QueryResult) Maps() []map[string]any {
	out := make([]map[string]any, len(r.Rows))
	for i, row := range r.Rows {
		m := make(map[string]any, len(r.Columns))
		for j, col := range r.Columns {
			if j < len(row) {
				m[col.Name] = row[j]
			}
		}
		out[i] = m
	}
	return out
}

// Scan copies the rows of a result into dest, a pointer to a slice of
// structs (or of pointers to structs), replacing its contents. A column
// goes to the field tagged `db:"name"`, else to the field whose name
// matches case-insensitively; `db:"-"` fields and columns without a field
// are skipped. Fields may be any integer, float, bool, string, []byte,
// time.Time (from RFC 3339 or SQLite's "YYYY-MM-DD HH:MM:SS" text), a
// pointer to one of those (nil for NULL), or an sql.Scanner such as
// sql.NullString. NULL into a plain field leaves its zero value. A value
// that does not fit its field (a fraction into an int, an overflow, text
// into a number) is an error naming the row and column.
func (r *QueryResult) Scan(dest any) error {
	dv := reflect.ValueOf(dest)
	if dv.Kind() != reflect.Pointer || dv.IsNil() || dv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("scan: dest must be a pointer to a slice of structs, not %T", dest)
	}
	slice := dv.Elem()
	elem := slice.Type().Elem()
	ptr := elem.Kind() == reflect.Pointer
	st := elem
	if ptr {
		st = elem.Elem()
	}
	if st.Kind() != reflect.Struct {
		return fmt.Errorf("scan: dest must be a pointer to a slice of structs, not %T", dest)
	}
	fields := fieldIndexes(st, r.Columns)
	out := reflect.MakeSlice(slice.Type(), 0, len(r.Rows))
	for i, row := range r.Rows {
		sv := reflect.New(st).Elem()
		for j, idx := range fields {
			if idx == nil || j >= len(row) {
				continue
			}
			if err := assign(sv.FieldByIndex(idx), row[j]); err != nil {
				return fmt.Errorf("scan: row %d, column %q: %w", i+1, r.Columns[j].Name, err)
			}
		}
		if ptr {
			out = reflect.Append(out, sv.Addr())
		} else {
			out = reflect.Append(out, sv)
		}
	}
	slice.Set(out)
	return nil
}

// fieldIndexes maps each column to the index of its struct field (nil: no
// field). Fields promoted through an embedded pointer are left out.
func fieldIndexes(st reflect.Type, cols []Column) [][]int {
	byTag, byName := map[string][]int{}, map[string][]int{}
	for _, f := range reflect.VisibleFields(st) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Time]()) || throughPointer(st, f.Index) {
			continue
		}
		tag := f.Tag.Get("db")
		switch {
		case tag == "-":
		case tag != "":
			byTag[tag] = f.Index
		default:
			if _, dup := byName[strings.ToLower(f.Name)]; !dup {
				byName[strings.ToLower(f.Name)] = f.Index
			}
		}
	}
	out := make([][]int, len(cols))
	for i, c := range cols {
		if idx, ok := byTag[c.Name]; ok {
			out[i] = idx
		} else {
			out[i] = byName[strings.ToLower(c.Name)]
		}
	}
	return out
}

// throughPointer reports whether a promoted field sits behind an embedded
// pointer (which a fresh struct has nil).
func throughPointer(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Pointer {
			return true
		}
		t = f.Type
	}
	return false
}

var errNoFit = errors.New("value does not fit the field")

// assign stores one result value into a field.
func assign(f reflect.Value, v any) error {
	if f.CanAddr() {
		if sc, ok := f.Addr().Interface().(sql.Scanner); ok {
			return sc.Scan(v)
		}
	}
	if v == nil {
		f.Set(reflect.Zero(f.Type()))
		return nil
	}
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := assign(p.Elem(), v); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	if f.Type() == reflect.TypeFor[time.Time]() {
		return assignTime(f, v)
	}
	if f.Kind() == reflect.Interface && reflect.TypeOf(v).AssignableTo(f.Type()) {
		f.Set(reflect.ValueOf(v))
		return nil
	}
	switch x := v.(type) {
	case int64:
		return assignInt(f, x)
	case float64:
		switch f.Kind() {
		case reflect.Float32, reflect.Float64:
			f.SetFloat(x)
			return nil
		}
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return assignInt(f, int64(x))
		}
	case string:
		switch f.Kind() {
		case reflect.String:
			f.SetString(x)
			return nil
		case reflect.Slice:
			if f.Type().Elem().Kind() == reflect.Uint8 {
				f.SetBytes([]byte(x))
				return nil
			}
		}
	case []byte:
		switch f.Kind() {
		case reflect.String:
			f.SetString(string(x))
			return nil
		case reflect.Slice:
			if f.Type().Elem().Kind() == reflect.Uint8 {
				f.SetBytes(append([]byte(nil), x...))
				return nil
			}
		}
	case bool:
		if f.Kind() == reflect.Bool {
			f.SetBool(x)
			return nil
		}
	}
	return fmt.Errorf("%w: %T into %s", errNoFit, v, f.Type())
}

func assignInt(f reflect.Value, x int64) error {
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f.OverflowInt(x) {
			return fmt.Errorf("%w: %d overflows %s", errNoFit, x, f.Type())
		}
		f.SetInt(x)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if x < 0 || f.OverflowUint(uint64(x)) {
			return fmt.Errorf("%w: %d overflows %s", errNoFit, x, f.Type())
		}
		f.SetUint(uint64(x))
		return nil
	case reflect.Float32, reflect.Float64:
		f.SetFloat(float64(x))
		return nil
	case reflect.Bool:
		f.SetBool(x != 0)
		return nil
	}
	return fmt.Errorf("%w: integer into %s", errNoFit, f.Type())
}

func assignTime(f reflect.Value, v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case int64:
		f.Set(reflect.ValueOf(time.Unix(x, 0).UTC()))
		return nil
	default:
		return fmt.Errorf("%w: %T into time.Time", errNoFit, v)
	}
	// RFC 3339 and the text forms SQLite's date functions write
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			f.Set(reflect.ValueOf(t))
			return nil
		}
	}
	return fmt.Errorf("%w: %q is not a time", errNoFit, s)
}
