// Package keymap holds every key binding of the TUI, grouped by pane. Each
// group lists its bindings by a stable name ("editor.run") so the config
// file can rebind them and conflicts can be reported at start-up.
package keymap

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding of the TUI.
type KeyMap struct {
	Global    Global
	Databases Databases
	Health    Health
	Schema    Schema
	Editor    Editor
	Results   Results
	Chart     Chart
	Plan      Plan
	Dialog    Dialog
	History   History
}

// Default returns the built-in bindings.
func Default() KeyMap {
	var k KeyMap
	bindAll(k.groups())
	return k
}

// Named is a binding with its configuration name.
type Named struct {
	Name    string
	Binding *key.Binding
}

// groups is every pane's declarations, in the order the README lists them.
// Global bindings are active in every pane, so they are checked against all
// of them.
func (k *KeyMap) groups() []group {
	return []group{
		{"global", "Everywhere", k.Global.decls()},
		{"databases", "Databases", k.Databases.decls()},
		{"schema", "Schema", k.Schema.decls()},
		{"health", "Health", k.Health.decls()},
		{"editor", "Editor", k.Editor.decls()},
		{"history", "History search", k.History.decls()},
		{"results", "Results", k.Results.decls()},
		{"chart", "Chart", k.Chart.decls()},
		{"plan", "Plan", k.Plan.decls()},
		{"dialog", "Prompts", k.Dialog.decls()},
	}
}

// named is each group's bindings by config name.
func (k *KeyMap) named() map[string][]Named {
	out := map[string][]Named{}
	for _, g := range k.groups() {
		for _, d := range g.decls {
			out[g.name] = append(out[g.name], Named{d.name, d.b})
		}
	}
	return out
}

// Apply rebinds keys from the config file's [keys] table, e.g.
// {"editor.run": ["ctrl+r", "f5"]}. Unknown binding names, key names no
// terminal sends ("ctrl+blah") and keys the result binds twice in one pane
// are errors, so a typo is reported at start-up instead of silently
// ignored.
func (k *KeyMap) Apply(overrides map[string][]string) error {
	index := map[string]*key.Binding{}
	for group, list := range k.named() {
		for _, n := range list {
			index[group+"."+n.Name] = n.Binding
		}
	}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b, ok := index[name]
		if !ok {
			return fmt.Errorf("keys: unknown binding %q", name)
		}
		keys := overrides[name]
		if len(keys) == 0 {
			return fmt.Errorf("keys: %q needs at least one key", name)
		}
		for _, kn := range keys {
			if err := CheckKey(kn); err != nil {
				return fmt.Errorf("keys: %q: %w", name, err)
			}
		}
		b.SetKeys(keys...)
		help := b.Help()
		b.SetHelp(strings.Join(keys, "/"), help.Desc)
	}
	if c := k.Conflicts(); len(c) > 0 {
		return fmt.Errorf("keys: %s", strings.Join(c, "; "))
	}
	return nil
}

// Conflicts lists keys bound twice within one pane, or bound both globally
// and in a pane (the pane would never see them). Empty means none.
func (k *KeyMap) Conflicts() []string {
	groups := k.named()
	global := groups["global"]
	var out []string
	for group, list := range groups {
		type owner struct {
			name   string
			global bool
		}
		seen := map[string]owner{}
		check := list
		if group != "global" {
			check = append(append([]Named{}, global...), list...)
		}
		for i, n := range check {
			if !n.Binding.Enabled() {
				continue
			}
			isGlobal := group == "global" || i < len(global)
			for _, key := range n.Binding.Keys() {
				prev, dup := seen[key]
				// two global bindings clash once, under "global", not in every pane
				if dup && prev.name != n.Name && !(group != "global" && prev.global && isGlobal) {
					pair := []string{prev.name, n.Name}
					sort.Strings(pair) // the message does not depend on declaration order
					out = append(out, fmt.Sprintf("%s: %q is bound to both %s and %s", group, key, pair[0], pair[1]))
				}
				seen[key] = owner{n.Name, isGlobal}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Dialog bindings, active while a prompt or confirmation is open (esc is the
// global Back binding). In a file prompt tab completes the path (and cycles
// through the candidates); Complete adds keys that do the same — tab itself
// is not a binding here because it stays global.
type Dialog struct {
	Submit, Yes, No, Complete key.Binding
}

func (k *Dialog) decls() []decl {
	return []decl{
		{&k.Submit, "submit", ks("enter"), "", "confirm", 1, 1},
		{&k.Yes, "yes", ks("y"), "", "yes", 1, 2},
		{&k.No, "no", ks("n"), "", "no", 1, 3},
		{&k.Complete, "complete", ks("ctrl+space"), "tab", "complete path", 1, 4},
	}
}

// ShortHelp implements help.KeyMap.
func (k Dialog) ShortHelp() []key.Binding { return shortHelp(k.decls()) }

// FullHelp implements help.KeyMap.
func (k Dialog) FullHelp() [][]key.Binding { return fullHelp(k.decls()) }
