package keymap

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestDefaultHasNoConflicts(t *testing.T) {
	km := Default()
	if c := km.Conflicts(); len(c) != 0 {
		t.Fatalf("default keymap conflicts:\n%s", strings.Join(c, "\n"))
	}
}

func TestApplyRebinds(t *testing.T) {
	km := Default()
	if err := km.Apply(map[string][]string{"global.help": {"f1"}}); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(tea.KeyPressMsg{Code: tea.KeyF1}, km.Global.Help) {
		t.Fatal("f1 does not open help after rebinding")
	}
	if key.Matches(tea.KeyPressMsg{Code: '?', Text: "?"}, km.Global.Help) {
		t.Fatal("old key still bound")
	}
	if km.Global.Help.Help().Key != "f1" {
		t.Fatalf("help text not updated: %q", km.Global.Help.Help().Key)
	}
}

func TestApplyRejectsUnknownAndEmpty(t *testing.T) {
	km := Default()
	if err := km.Apply(map[string][]string{"editor.teleport": {"x"}}); err == nil {
		t.Fatal("unknown binding accepted")
	}
	if err := km.Apply(map[string][]string{"global.help": {}}); err == nil {
		t.Fatal("empty key list accepted")
	}
}

func TestConflictReported(t *testing.T) {
	km := Default()
	err := km.Apply(map[string][]string{"global.refresh": {"?"}})
	if err == nil || err.Error() != `keys: global: "?" is bound to both help and refresh` {
		t.Fatalf("conflict on ? reported as %v", err)
	}
	c := km.Conflicts()
	if len(c) != 1 || !strings.Contains(c[0], `"?"`) {
		t.Fatalf("conflict on ? not reported once: %v", c)
	}
}

func TestApplyRejectsBadKeyNames(t *testing.T) {
	for _, bad := range []string{"ctrl+blah", "ctrl+", "blah", "shift+ctrl+a", "ctrl+ctrl+a", "hyperr+x", "", "  ", "space bar"} {
		km := Default()
		err := km.Apply(map[string][]string{"editor.run": {bad}})
		if err == nil {
			t.Errorf("%q accepted as a key", bad)
			continue
		}
		if !strings.Contains(err.Error(), "editor.run") {
			t.Errorf("%q: error does not name the binding: %v", bad, err)
		}
	}
	for _, good := range []string{"ctrl+r", "f5", "ctrl+shift+z", "alt+enter", "?", "+", "é", "ctrl+alt+shift+meta+hyper+super+x", "pgdown", "f63"} {
		if err := CheckKey(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}

func TestApplyRejectsShadowingRebinds(t *testing.T) {
	km := Default()
	err := km.Apply(map[string][]string{"results.copy_cell": {"j"}})
	if err == nil || !strings.Contains(err.Error(), `"j" is bound to both`) || !strings.Contains(err.Error(), "results") {
		t.Fatalf("copy_cell = j (shadowing down) gave %v", err)
	}
	km = Default()
	if err := km.Apply(map[string][]string{"editor.run": {"ctrl+x"}}); err == nil {
		t.Fatal("editor.run = ctrl+x (the global cancel key) accepted")
	}
	km = Default()
	if err := km.Apply(map[string][]string{"results.copy_cell": {"c"}, "editor.run": {"f9"}}); err != nil {
		t.Fatalf("a free key refused: %v", err)
	}
}
