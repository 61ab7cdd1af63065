package app

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// Every method of Changes, the one list, is refused by ReadOnlyChanges in
// Refuse's words; a change added to the list without a refusal does not
// compile (var _ Changes = ReadOnlyChanges{}), one refused without the
// sentinel fails here.
func TestReadOnlyChangesRefuseEveryChange(t *testing.T) {
	v := reflect.ValueOf(ReadOnlyChanges{})
	iface := reflect.TypeFor[Changes]()
	for i := range iface.NumMethod() {
		m := iface.Method(i)
		fn := v.MethodByName(m.Name)
		in := make([]reflect.Value, fn.Type().NumIn())
		for j := range in {
			in[j] = reflect.Zero(fn.Type().In(j))
		}
		in[0] = reflect.ValueOf(context.Background())
		if fn.Type().In(1).Kind() == reflect.String {
			in[1] = reflect.ValueOf("shop")
		}
		var out []reflect.Value
		if fn.Type().IsVariadic() {
			out = fn.CallSlice(in)
		} else {
			out = fn.Call(in)
		}
		err, _ := out[len(out)-1].Interface().(error)
		if !errors.Is(err, ErrReadOnly) || !out[0].IsNil() {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
	if err := RefuseIf(false, ChangeFork, "shop"); err != nil {
		t.Errorf("a writable session refused: %v", err)
	}
	if err := RefuseIf(true, ChangeImport, "shop"); err == nil || err.Error() != `read-only mode: refusing to import into "shop"` {
		t.Errorf("refusal %v", err)
	}
}
