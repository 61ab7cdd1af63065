package repocheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the import path prefix of this repository's packages.
const module = "github.com/dbforge/dbforge"

// root is the repository root, seen from this package's directory.
const root = "../.."

// pkgInfo is one package of the module as its production (non-test) files
// declare it.
type pkgInfo struct {
	imports map[string]bool // direct imports, module ones relative ("client")
	files   []*ast.File     // parsed non-test files
	fset    *token.FileSet
}

// loadPackages parses every non-test Go file of the module, keyed by the
// package's path relative to the module ("" for the main package).
func loadPackages(t *testing.T) map[string]*pkgInfo {
	t.Helper()
	pkgs := map[string]*pkgInfo{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if rel == "." {
			rel = ""
		}
		p := pkgs[rel]
		if p == nil {
			p = &pkgInfo{imports: map[string]bool{}, fset: token.NewFileSet()}
			pkgs[rel] = p
		}
		f, err := parser.ParseFile(p.fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		p.files = append(p.files, f)
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			if rest, ok := strings.CutPrefix(ip, module+"/"); ok {
				ip = rest
			}
			p.imports[ip] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 40 {
		t.Fatalf("only %d packages found under %s", len(pkgs), root)
	}
	return pkgs
}

// deps is every module package pkg depends on, directly or not.
func deps(pkgs map[string]*pkgInfo, pkg string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for imp := range pkgs[p].imports {
			if _, ours := pkgs[imp]; ours && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	return seen
}

// matches reports whether pkg is pattern, or under it when pattern ends
// in "/...".
func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

// layerRule is one import rule of docs/ARCHITECTURE.md.
type layerRule struct {
	from     string   // a package, or a pattern ending in "/..."
	never    []string // module packages it may not depend on, even indirectly
	noDirect []string // packages it may not import itself (the standard library too)
	why      string
}

func layerRules() []layerRule {
	presentation := []string{"ui/...", "views/...", "keymap", "theme", "internal/cli"}
	return []layerRule{
		{from: "internal/engine",
			never:    append([]string{"internal/gateway", "internal/embedded", "internal/mcp", "client", "embedded"}, presentation...),
			noDirect: []string{"net/http", "github.com/go-resty/resty/v2"},
			why:      "the engine is storage: HTTP, the contract and presentation live above it"},
		{from: "internal/gateway",
			never: append([]string{"internal/embedded", "internal/mcp", "embedded"}, presentation...),
			why:   "the gateway serves the contract (client's types and codes); the front ends are its callers"},
		{from: "client",
			never: append([]string{"internal/engine", "internal/gateway", "internal/embedded", "internal/mcp", "embedded"}, presentation...),
			why:   "the public SDK speaks only the wire contract, to any gateway, MK1 included"},
		{from: "views/...",
			never:    []string{"internal/engine", "internal/gateway", "internal/embedded", "internal/mcp", "internal/cli", "ui/...", "embedded"},
			noDirect: []string{"os", "os/exec", "net", "net/http", "database/sql", "io/ioutil"},
			why:      "panes are dumb: they draw state and return actions; the root model does the I/O"},
		{from: "ui/...",
			never: []string{"internal/engine", "internal/gateway", "internal/embedded", "internal/mcp", "internal/cli", "embedded"},
			why:   "the TUI talks to a gateway only through the client, so remote and embedded mode are one code path"},
		{from: "internal/app",
			never:    []string{"ui/...", "views/...", "keymap", "theme", "internal/cli", "internal/engine", "internal/gateway", "internal/embedded", "internal/mcp", "embedded"},
			noDirect: []string{"charm.land/bubbletea/v2", "charm.land/bubbles/v2/...", "charm.land/lipgloss/v2", "github.com/spf13/cobra"},
			why:      "the use cases serve the TUI and the CLI alike: no front end above them, only the client below"},
		{from: "internal/mcp",
			noDirect: []string{"internal/engine"},
			why:      "MCP tools call the public client, so the gateway decides every permission"},
	}
}

// leafPackages import no package of the module but each other: small rules with one
// definition, usable from any layer.
func leafPackages() []string {
	return []string{"keymap", "theme", "internal/auth", "internal/csvio", "internal/dbname",
		"internal/history", "internal/jsonvalue", "internal/sanitize", "internal/sqltext", "internal/units",
		"views/action", "views/textfit"}
}

// testOnlyPackages are imported by tests alone.
func testOnlyPackages() []string {
	return []string{"internal/viewtest", "internal/mk1fake", "internal/benchbare",
		"ui/internal/testgw", "internal/repocheck", "internal/pgtest",
		"internal/testserve"}
}

// allowedEdges are the edges a rule forbids that the code still has, with
// the reason; a stale one is reported, not failed, so that removing the
// import needs no edit here.
func allowedEdges() map[[2]string]string {
	return map[[2]string]string{}
}

// TestImportRules enforces the layers of docs/ARCHITECTURE.md on the
// production code: each rule's forbidden dependencies, the leaf packages,
// the test-only packages, and that only main imports internal/cli.
func TestImportRules(t *testing.T) {
	pkgs := loadPackages(t)
	allowed := allowedEdges()
	used := map[[2]string]bool{}
	forbid := func(from, to, why string, direct bool) {
		edge := [2]string{from, to}
		if _, ok := allowed[edge]; ok {
			used[edge] = true
			return
		}
		how := "depends on"
		if direct {
			how = "imports"
		}
		t.Errorf("%s %s %s: %s", from, how, to, why)
	}
	var names []string
	for name := range pkgs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, rule := range layerRules() {
		n := 0
		for _, pkg := range names {
			if !matches(rule.from, pkg) || slices.Contains(testOnlyPackages(), pkg) {
				continue
			}
			n++
			all := deps(pkgs, pkg)
			for dep := range all {
				for _, bad := range rule.never {
					if matches(bad, dep) {
						forbid(pkg, dep, rule.why, false)
					}
				}
			}
			for imp := range pkgs[pkg].imports {
				for _, bad := range rule.noDirect {
					if matches(bad, imp) {
						forbid(pkg, imp, rule.why, true)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("rule for %s matches no package", rule.from)
		}
	}
	for _, leaf := range leafPackages() {
		if pkgs[leaf] == nil {
			t.Errorf("leaf package %s not found", leaf)
			continue
		}
		for imp := range pkgs[leaf].imports {
			if _, ours := pkgs[imp]; ours && !slices.Contains(leafPackages(), imp) {
				forbid(leaf, imp, "a leaf package imports nothing of the module but other leaves", true)
			}
		}
	}
	for _, pkg := range names {
		for imp := range pkgs[pkg].imports {
			for _, testOnly := range testOnlyPackages() {
				// its own commands (the benchmark programs under
				// internal/benchbare/cmd) are test tooling too
				if imp == testOnly && !strings.HasPrefix(pkg, testOnly+"/") {
					forbid(pkg, imp, "a test-only package is imported by tests alone and its own tools", true)
				}
			}
			if imp == "internal/cli" && pkg != "" {
				forbid(pkg, imp, "only main wires the commands", true)
			}
		}
	}
	for edge, why := range allowed {
		if !used[edge] {
			t.Logf("allowed edge %s → %s is no longer needed (%s): remove it from allowedEdges", edge[0], edge[1], why)
		}
	}
}

// TestViewsNeverHoldAClient checks what the import rules cannot: panes use
// the client package for its contract types and pure helpers only, never
// a *client.Client or a way to build one, so no pane reaches the network.
func TestViewsNeverHoldAClient(t *testing.T) {
	pkgs := loadPackages(t)
	for name, p := range pkgs {
		if !matches("views/...", name) {
			continue
		}
		for _, f := range p.files {
			local := ""
			for _, imp := range f.Imports {
				if imp.Path.Value == strconv.Quote(module+"/client") {
					local = "client"
					if imp.Name != nil {
						local = imp.Name.Name
					}
				}
			}
			if local == "" {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && isClientConnection(sel.Sel.Name) {
					t.Errorf("%s: %s.%s: a pane never holds or builds a client", p.fset.Position(sel.Pos()), local, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// isClientConnection reports whether a name of package client is the
// connection or builds one (Client, New…, With… options).
func isClientConnection(name string) bool {
	return name == "Client" || name == "Option" || strings.HasPrefix(name, "New") || strings.HasPrefix(name, "With")
}

// TestImportRulesSeeABreak is the attack on the rule checker itself: a
// pane that imported the gateway would be caught.
func TestImportRulesSeeABreak(t *testing.T) {
	pkgs := map[string]*pkgInfo{
		"views/evil":       {imports: map[string]bool{"internal/history": true}},
		"internal/history": {imports: map[string]bool{"internal/gateway": true}},
		"internal/gateway": {imports: map[string]bool{"os": true}},
	}
	if !deps(pkgs, "views/evil")["internal/gateway"] {
		t.Fatal("an indirect dependency is not seen")
	}
	if !matches("views/...", "views/evil") || matches("views/...", "viewsx") || !matches("client", "client") {
		t.Fatal("patterns match the wrong packages")
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("root %s is not the module root: %v", root, err)
	}
}
