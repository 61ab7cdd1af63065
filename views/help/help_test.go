package help

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

func TestViewListsGlobalAndPaneKeysWithinBounds(t *testing.T) {
	th := theme.MustNew(theme.Dark, true, false)
	km := keymap.Default()
	m := New(&th, keymap.Default().Global.Back)
	for _, size := range [][2]int{{100, 39}, {78, 23}, {18, 4}} {
		v := m.View("Keys · Databases", []help.KeyMap{km.Global, km.Databases}, size[0], size[1])
		plain := ansi.Strip(v)
		lines := strings.Split(plain, "\n")
		if len(lines) > size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > size[0] {
				t.Fatalf("%v: line too wide: %q", size, l)
			}
		}
		if size[0] >= 78 && (!strings.Contains(plain, "next pane") || !strings.Contains(plain, "show pruned")) {
			t.Fatalf("%v: keys missing:\n%s", size, plain)
		}
	}
}
