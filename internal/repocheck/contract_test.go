package repocheck

import (
	"go/ast"
	"reflect"
	"strconv"
	"testing"
)

// TestEngineCarriesNoWireTags: the engine's types are plain Go; the wire
// contract is the client package's types, which the gateway converts the
// engine's values to (internal/gateway/wire.go). A JSON tag in the engine
// would be a second, drifting copy of a field's wire name.
func TestEngineCarriesNoWireTags(t *testing.T) {
	pkgs := loadPackages(t)
	for _, f := range pkgs["internal/engine"].files {
		ast.Inspect(f, func(node ast.Node) bool {
			field, ok := node.(*ast.Field)
			if !ok || field.Tag == nil {
				return true
			}
			tag, _ := strconv.Unquote(field.Tag.Value)
			if _, ok := reflect.StructTag(tag).Lookup("json"); ok {
				t.Errorf("%s: engine field with a JSON tag %s: the wire's names live in package client", pkgs["internal/engine"].fset.Position(field.Pos()), field.Tag.Value)
			}
			return true
		})
	}
}
