package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestUnknownKeyNamesEveryServeKey keeps the unknown-key message's list of
// [serve] keys in step with the keys the file really accepts.
func TestUnknownKeyNamesEveryServeKey(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "[serve]\nmax_rowz = 3\n")
	_, err := Resolve(Flags{}, nil)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want FileError, got %v", err)
	}
	typ := reflect.TypeOf(ServeFile{})
	for i := range typ.NumField() {
		key := typ.Field(i).Tag.Get("toml")
		if key == "" {
			continue
		}
		if !strings.Contains(fe.Msg, " "+key+",") && !strings.HasSuffix(fe.Msg, " "+key+")") {
			t.Errorf("unknown-key message does not list [serve] key %q: %s", key, fe.Msg)
		}
	}
}
