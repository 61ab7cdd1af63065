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

// Default returns the bindings of TUI.md.
func Default() KeyMap {
	return KeyMap{
		Global:    defaultGlobal(),
		Databases: defaultDatabases(),
		Health:    defaultHealth(),
		Schema:    defaultSchema(),
		Editor:    defaultEditor(),
		Results:   defaultResults(),
		Chart:     defaultChart(),
		Plan:      defaultPlan(),
		Dialog:    defaultDialog(),
		History:   defaultHistory(),
	}
}

// Named is a binding with its configuration name.
type Named struct {
	Name    string
	Binding *key.Binding
}

// groups returns each pane's bindings by group name. Global bindings are
// active in every pane, so they are checked against all of them.
func (k *KeyMap) groups() map[string][]Named {
	return map[string][]Named{
		"global":    k.Global.named(),
		"databases": k.Databases.named(),
		"health":    k.Health.named(),
		"schema":    k.Schema.named(),
		"editor":    k.Editor.named(),
		"results":   k.Results.named(),
		"chart":     k.Chart.named(),
		"plan":      k.Plan.named(),
		"dialog":    k.Dialog.named(),
		"history":   k.History.named(),
	}
}

// Apply rebinds keys from the config file's [keys] table, e.g.
// {"editor.run": ["ctrl+r", "f5"]}. Unknown binding names, key names no
// terminal sends ("ctrl+blah") and keys the result binds twice in one pane
// are errors, so a typo is reported at start-up instead of silently
// ignored.
func (k *KeyMap) Apply(overrides map[string][]string) error {
	index := map[string]*key.Binding{}
	for group, list := range k.groups() {
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
	groups := k.groups()
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
					out = append(out, fmt.Sprintf("%s: %q is bound to both %s and %s", group, key, prev.name, n.Name))
				}
				seen[key] = owner{n.Name, isGlobal}
			}
		}
	}
	sort.Strings(out)
	return out
}

func bind(keys []string, help, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Dialog bindings, active while a prompt or confirmation is open (esc is the
// global Back binding). In a file prompt tab completes the path (and cycles
// through the candidates); Complete adds keys that do the same — tab itself
// is not a binding here because it stays global.
type Dialog struct {
	Submit, Yes, No, Complete key.Binding
}

func defaultDialog() Dialog {
	return Dialog{
		Submit:   bind([]string{"enter"}, "enter", "confirm"),
		Yes:      bind([]string{"y"}, "y", "yes"),
		No:       bind([]string{"n"}, "n", "no"),
		Complete: bind([]string{"ctrl+space"}, "tab", "complete path"),
	}
}

func (k *Dialog) named() []Named {
	return []Named{{"submit", &k.Submit}, {"yes", &k.Yes}, {"no", &k.No}, {"complete", &k.Complete}}
}

// ShortHelp implements help.KeyMap.
func (k Dialog) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Yes, k.No, k.Complete} }

// FullHelp implements help.KeyMap.
func (k Dialog) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
