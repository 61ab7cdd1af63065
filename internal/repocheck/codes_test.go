package repocheck

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// errorCodeFile is where the wire contract's error codes are declared, once.
const errorCodeFile = "client/errors.go"

// errorCodes reads the Code… constants of the client package: name by
// value.
func errorCodes(t *testing.T, pkgs map[string]*pkgInfo) map[string]string {
	t.Helper()
	codes := map[string]string{}
	for _, f := range pkgs["client"].files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						if pos := pkgs["client"].fset.Position(lit.Pos()); !strings.HasSuffix(filepath.ToSlash(pos.Filename), errorCodeFile) {
							t.Errorf("%s: error code %s is declared outside %s", pos, name.Name, errorCodeFile)
						}
						codes[v] = name.Name
					}
				}
			}
		}
	}
	if len(codes) < 20 {
		t.Fatalf("only %d error codes found in %s", len(codes), errorCodeFile)
	}
	return codes
}

// TestErrorCodesDeclaredOnce: the error codes of the wire contract are the
// client package's constants, and no production code spells one again (the
// gateway answers with client.Code…), so the list cannot drift; each is
// named in docs/API.md.
func TestErrorCodesDeclaredOnce(t *testing.T) {
	pkgs := loadPackages(t)
	codes := errorCodes(t, pkgs)
	for _, p := range pkgs {
		for _, f := range p.files {
			file := filepath.ToSlash(p.fset.Position(f.Pos()).Filename)
			if strings.HasSuffix(file, errorCodeFile) {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				v, _ := strconv.Unquote(lit.Value)
				if c, ok := codes[v]; ok {
					t.Errorf("%s: %q spells error code client.%s again", p.fset.Position(lit.Pos()), v, c)
				}
				return true
			})
		}
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs/API.md"))
	if err != nil {
		t.Fatal(err)
	}
	for v, name := range codes {
		if !strings.Contains(string(doc), "`"+v+"`") {
			t.Errorf("error code %s (%s) is not in docs/API.md", v, name)
		}
	}
}
