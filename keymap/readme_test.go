package keymap

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite README.md's generated key tables from the declarations")

const readmePath = "../README.md"

// readmeBlocks are README.md's generated parts, each between
// "<!-- keymap:NAME -->" and "<!-- /keymap:NAME -->".
func readmeBlocks(k *KeyMap) map[string]string {
	return map[string]string{"keys": keyTable(k), "names": nameTable(k)}
}

// keyTable is the README's per-pane key table: what the help overlay lists.
func keyTable(k *KeyMap) string {
	var b strings.Builder
	b.WriteString("| pane | keys |\n|---|---|\n")
	for _, g := range k.groups() {
		var cells []string
		for _, col := range fullHelp(g.decls) {
			for _, kb := range col {
				cells = append(cells, code(kb.Help().Key)+" "+cell(kb.Help().Desc))
			}
		}
		fmt.Fprintf(&b, "| %s | %s |\n", g.title, strings.Join(cells, " · "))
	}
	return b.String()
}

// nameTable lists every binding by its [keys] name with its default keys.
func nameTable(k *KeyMap) string {
	var b strings.Builder
	b.WriteString("| `[keys]` name | default keys | does |\n|---|---|---|\n")
	for _, g := range k.groups() {
		for _, d := range g.decls {
			keys := make([]string, len(d.keys))
			for i, kn := range d.keys {
				keys[i] = code(kn)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", code(g.name+"."+d.name), strings.Join(keys, " "), cell(d.desc))
		}
	}
	return b.String()
}

func code(s string) string { return "`" + cell(s) + "`" }

// cell keeps a table cell in its column.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func blockPattern(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)(<!-- keymap:` + name + ` -->\n).*?(<!-- /keymap:` + name + ` -->)`)
}

// TestReadmeKeyTables fails when README.md's key tables and the declarations
// drift; `go test ./keymap -update-readme` regenerates them.
func TestReadmeKeyTables(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	k := Default()
	for name, want := range readmeBlocks(&k) {
		re := blockPattern(name)
		m := re.FindStringSubmatch(readme)
		if m == nil {
			t.Fatalf("README.md has no <!-- keymap:%s --> … <!-- /keymap:%s --> block", name, name)
		}
		if *updateReadme {
			readme = re.ReplaceAllLiteralString(readme, m[1]+want+m[2])
			continue
		}
		if got := strings.TrimPrefix(strings.TrimSuffix(m[0], m[2]), m[1]); got != want {
			t.Errorf("README.md's %q key table differs from the declarations in keymap/; run `go test ./keymap -update-readme`\n--- README\n%s--- declarations\n%s", name, got, want)
		}
	}
	if *updateReadme {
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEveryBindingDeclaredOnce catches a struct field added without a
// declaration (it would stay unbound and missing from help and config) and
// a name declared twice in a group.
func TestEveryBindingDeclaredOnce(t *testing.T) {
	k := Default()
	name := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	groups := reflect.ValueOf(&k).Elem()
	for _, g := range k.groups() {
		declared := map[*key.Binding]string{}
		names := map[string]bool{}
		for _, d := range g.decls {
			if prev, dup := declared[d.b]; dup {
				t.Errorf("%s: one field declared as both %s and %s", g.name, prev, d.name)
			}
			declared[d.b] = d.name
			if names[d.name] || !name.MatchString(d.name) {
				t.Errorf("%s.%s: name repeated or not snake_case", g.name, d.name)
			}
			names[d.name] = true
			if len(d.keys) == 0 || d.desc == "" {
				t.Errorf("%s.%s: no default keys or no description", g.name, d.name)
			}
		}
		st := groups.FieldByNameFunc(func(f string) bool { return strings.EqualFold(f, g.name) })
		if !st.IsValid() {
			t.Fatalf("group %s has no KeyMap field", g.name)
		}
		for _, b := range bindingsOf(st) {
			if _, ok := declared[b]; !ok {
				t.Errorf("%s: a key.Binding field has no declaration", g.name)
			}
		}
	}
}

// bindingsOf is the address of every key.Binding in a group struct,
// including array elements.
func bindingsOf(v reflect.Value) []*key.Binding {
	bt := reflect.TypeFor[key.Binding]()
	var out []*key.Binding
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == bt:
			out = append(out, f.Addr().Interface().(*key.Binding))
		case f.Kind() == reflect.Array && f.Type().Elem() == bt:
			for j := range f.Len() {
				out = append(out, f.Index(j).Addr().Interface().(*key.Binding))
			}
		}
	}
	return out
}

// TestPaneKeysFollowPaneNames: pane i is focused by i+1 and alt+i+1 and
// named after the pane, so the number keys cannot drift from the pane order.
func TestPaneKeysFollowPaneNames(t *testing.T) {
	k := Default()
	for i, name := range PaneNames() {
		n := fmt.Sprint(i + 1)
		if got := k.Global.Pane[i].Keys(); len(got) != 1 || got[0] != n {
			t.Errorf("pane %s: keys %v, want [%s]", name, got, n)
		}
		if got := k.Global.AltPane[i].Keys(); len(got) != 1 || got[0] != "alt+"+n {
			t.Errorf("pane %s: alt keys %v", name, got)
		}
		if d := k.Global.Pane[i].Help().Desc; d != strings.ToLower(name) {
			t.Errorf("pane %s: help says %q", name, d)
		}
	}
}
