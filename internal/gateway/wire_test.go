package gateway

import (
	"reflect"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// filled returns a value of type t with every field set: a field the
// engine gains is filled too, so TestWireCopiesEveryField sees whether
// the conversion carries it.
func filled(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(filled(t.Elem()).Addr())
	case reflect.Slice:
		v.Set(reflect.Append(reflect.MakeSlice(t, 0, 1), filled(t.Elem())))
	case reflect.Interface:
		v.Set(reflect.ValueOf("x"))
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(1700000000, 0)))
			break
		}
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(filled(t.Field(i).Type))
			}
		}
	}
	return v
}

// zeroFields names the fields of v (recursively) left zero.
func zeroFields(v reflect.Value, path string, skip map[string]bool) []string {
	if skip[path] {
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			break
		}
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() {
				out = append(out, zeroFields(v.Field(i), path+"."+f.Name, skip)...)
			}
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return []string{path}
		}
		return zeroFields(v.Index(0), path+"[0]", skip)
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return zeroFields(v.Elem(), path, skip)
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

func fill[T any]() T { return filled(reflect.TypeFor[T]()).Interface().(T) }

// leaves counts the values a type holds: the fields of its structs,
// recursively, a list's element once.
func leaves(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return leaves(t.Elem())
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return 1
		}
		n := 0
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				n += leaves(t.Field(i).Type)
			}
		}
		return n
	}
	return 1
}

// TestWireCopiesEveryField: each conversion of wire.go carries every field
// of the engine's value into the contract type, and the contract type has
// a place for each, so a field the engine gains cannot be forgotten on the
// way to the wire. The exceptions are named: fields a handler words itself
// (messages, restarted) and engine facts an answer does not carry.
func TestWireCopiesEveryField(t *testing.T) {
	cases := []struct {
		name    string
		in      reflect.Type // the engine's type
		out     any
		handler []string // contract fields the handler sets, not the conversion
		omitted int      // engine values the answer does not carry
	}{
		{"Database", reflect.TypeFor[engine.Instance](), wireDatabase(fill[engine.Instance]()), nil, 0},
		{"DatabaseDetails", reflect.TypeFor[engine.Details](), wireDetails(fill[engine.Details]()), nil, 0},
		{"DatabaseStats", reflect.TypeFor[engine.Stats](), wireStats(fill[engine.Stats]()), nil, 0},
		{"Schema", reflect.TypeFor[engine.Schema](), wireSchema(fill[engine.Schema]()), nil, 0},
		{"Plan", reflect.TypeFor[[]engine.PlanNode](), wirePlan(fill[[]engine.PlanNode]()), nil, 0},
		{"APIKey", reflect.TypeFor[engine.Key](), wireKey(fill[engine.Key]()), nil, 0},
		{"AuditEntry", reflect.TypeFor[engine.AuditEntry](), wireAuditEntry(fill[engine.AuditEntry]()), nil, 0},
		{"BackupResult", reflect.TypeFor[engine.BackupInfo](), wireBackup("m", "db", fill[engine.BackupInfo]()), []string{".Message", ".DBName"}, 0},
		{"ImportResult", reflect.TypeFor[engine.ImportResult](), wireImport("m", fill[engine.ImportResult]()), []string{".Message"}, 0},
		{"ScriptResult", reflect.TypeFor[engine.ScriptResult](), wireScript("m", fill[engine.ScriptResult]()), []string{".Message"}, 0},
		// a fork's answer names the new database, not its size or use
		{"ForkResult", reflect.TypeFor[engine.ForkInfo](), wireFork("m", fill[engine.ForkInfo]()), []string{".Message"}, 3},
		{"Template", reflect.TypeFor[templates.Template](), wireTemplate(fill[templates.Template]()), nil, 0},
		// MK1's spawn answer: name, id, status, backend
		{"SpawnResult", reflect.TypeFor[engine.Instance](), wireSpawn(fill[engine.Instance]()), []string{".Message", ".Restarted", ".Created"}, 4},
	}
	for _, c := range cases {
		skip := map[string]bool{}
		for _, s := range c.handler {
			skip[s] = true
		}
		if zero := zeroFields(reflect.ValueOf(c.out), "", skip); len(zero) > 0 {
			t.Errorf("%s: the conversion leaves %v unset", c.name, zero)
		}
		carried := leaves(reflect.TypeOf(c.out)) - len(c.handler)
		if want := leaves(c.in) - c.omitted; carried != want {
			t.Errorf("%s has a place for %d of the engine's values, the engine holds %d: give each a field in package client and copy it in wire.go (or, when this answer does not carry it, count it in omitted here)", c.name, carried, want)
		}
	}
}

// TestWireKeepsNilApartFromEmpty: a nil list stays null on the wire and
// an empty one [], as the engine made them.
func TestWireKeepsNilApartFromEmpty(t *testing.T) {
	if s := wireSchema(engine.Schema{}); s.Tables != nil || s.Triggers != nil {
		t.Fatalf("nil lists became %#v", s)
	}
	s := wireSchema(engine.Schema{Tables: []engine.TableSchema{{Indexes: []engine.IndexSchema{}}}, Triggers: []engine.Trigger{}})
	if s.Triggers == nil || s.Tables[0].Indexes == nil || s.Tables[0].Columns != nil {
		t.Fatalf("empty and nil lists mixed up: %#v", s)
	}
}
