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
	if err := km.Apply(map[string][]string{"global.refresh": {"?"}}); err != nil {
		t.Fatal(err)
	}
	c := km.Conflicts()
	if len(c) == 0 || !strings.Contains(strings.Join(c, "\n"), `"?"`) {
		t.Fatalf("conflict on ? not reported: %v", c)
	}
}
