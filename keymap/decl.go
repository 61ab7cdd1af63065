package keymap

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// decl is the one declaration of a binding: the struct field the Update code
// matches against, its [keys] config name, its default keys, the key hint
// help shows ("" = the keys joined by "/"), what it does, and where help
// lists it. Default, Apply, the help overlay, the status bar and the README
// key tables are all built from these.
type decl struct {
	b     *key.Binding
	name  string
	keys  []string
	hint  string
	desc  string
	col   int // column of the help overlay, from 1; 0 = not listed
	short int // place in the status bar's short help, from 1; 0 = not shown
}

// ks lists a binding's keys.
func ks(keys ...string) []string { return keys }

// group is one pane's bindings under its config prefix ("editor") and the
// title the README gives it.
type group struct {
	name, title string
	decls       []decl
}

func (d decl) hintText() string {
	if d.hint != "" {
		return d.hint
	}
	return strings.Join(d.keys, "/")
}

// bindAll fills every declared field with its default binding.
func bindAll(groups []group) {
	for _, g := range groups {
		for _, d := range g.decls {
			*d.b = key.NewBinding(key.WithKeys(d.keys...), key.WithHelp(d.hintText(), d.desc))
		}
	}
}

// shortHelp is the bindings with a short place, in that order.
func shortHelp(ds []decl) []key.Binding {
	shown := slices.DeleteFunc(slices.Clone(ds), func(d decl) bool { return d.short == 0 })
	slices.SortStableFunc(shown, func(a, b decl) int { return a.short - b.short })
	out := make([]key.Binding, len(shown))
	for i, d := range shown {
		out[i] = *d.b
	}
	return out
}

// fullHelp is the help overlay's columns, each in declaration order.
func fullHelp(ds []decl) [][]key.Binding {
	var cols [][]key.Binding
	for _, d := range ds {
		if d.col == 0 {
			continue
		}
		for len(cols) < d.col {
			cols = append(cols, nil)
		}
		cols[d.col-1] = append(cols[d.col-1], *d.b)
	}
	return cols
}
