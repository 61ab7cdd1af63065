package keymap

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// modifiers in the order Bubble Tea writes them in a keystroke name; a
// binding must use the same order or it never matches.
var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// namedKeys are the key names a keystroke can end in besides a single
// character (as Bubble Tea spells them).
var namedKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`enter tab backspace esc space up down left right begin find insert
		delete select pgup pgdown home end equal mul plus comma minus period div sep
		capslock scrolllock numlock printscreen pause menu`) {
		m[n] = true
	}
	for i := 1; i <= 63; i++ {
		m[fmt.Sprintf("f%d", i)] = true
	}
	return m
}()

// CheckKey reports why name is not a keystroke a terminal can deliver as
// Bubble Tea names it ("ctrl+blah", "shift+ctrl+a", "ctrl+"), or nil.
func CheckKey(name string) error {
	rest := name
	next := 0 // modifiers must come in order, each once
	for {
		i := strings.IndexByte(rest, '+')
		if i <= 0 || i == len(rest)-1 {
			break
		}
		mod := rest[:i]
		at := -1
		for j := next; j < len(modifiers); j++ {
			if modifiers[j] == mod {
				at = j
			}
		}
		if at < 0 {
			if isModifier(mod) {
				return fmt.Errorf("%q: write modifiers in the order %s", name, strings.Join(modifiers, "+"))
			}
			return fmt.Errorf("%q is not a key name: %q is not a modifier (%s)", name, mod, strings.Join(modifiers, ", "))
		}
		next = at + 1
		rest = rest[i+1:]
	}
	if namedKeys[rest] {
		return nil
	}
	if r, size := utf8.DecodeRuneInString(rest); size == len(rest) && r != utf8.RuneError && unicode.IsPrint(r) && r != ' ' {
		return nil
	}
	return fmt.Errorf("%q is not a key name: use one character or one of enter, tab, esc, space, backspace, delete, up, down, left, right, home, end, pgup, pgdown, f1…f63", name)
}

func isModifier(s string) bool {
	for _, m := range modifiers {
		if m == s {
			return true
		}
	}
	return false
}
