package viewtest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestKey(t *testing.T) {
	for name, want := range map[string]tea.KeyPressMsg{
		"j":               {Code: 'j', Text: "j"},
		"G":               {Code: 'G', Text: "G"},
		"enter":           {Code: tea.KeyEnter},
		"space":           {Code: tea.KeySpace, Text: " "},
		"ctrl+space":      {Code: tea.KeySpace, Mod: tea.ModCtrl},
		"ctrl+r":          {Code: 'r', Mod: tea.ModCtrl},
		"alt+3":           {Code: '3', Mod: tea.ModAlt},
		"shift+tab":       {Code: tea.KeyTab, Mod: tea.ModShift},
		"ctrl+shift+left": {Code: tea.KeyLeft, Mod: tea.ModCtrl | tea.ModShift},
		"+":               {Code: '+', Text: "+"},
	} {
		if got := Key(name); got != want {
			t.Errorf("Key(%q) = %#v, want %#v", name, got, want)
		}
	}
	if got := Typed("a b"); len(got) != 3 || got[1] != (tea.KeyPressMsg{Code: ' ', Text: " "}) {
		t.Errorf("Typed = %#v", got)
	}
}

func TestCheckSizeAcceptsExactView(t *testing.T) {
	CheckSize(t, "ab\ncd", 2, 2)
	CheckSize(t, "\x1b[1mab\x1b[0m", 2, 1)
	CheckSize(t, "", 5, 0)
}

func TestRunCmdGivesUpOnTimers(t *testing.T) {
	if msg := RunCmd(func() tea.Msg { return "done" }, time.Second); msg != "done" {
		t.Fatalf("got %v", msg)
	}
	slow := func() tea.Msg { time.Sleep(100 * time.Millisecond); return "late" }
	if msg := RunCmd(slow, time.Millisecond); msg != nil {
		t.Fatalf("got %v", msg)
	}
	if RunCmd(nil, time.Second) != nil {
		t.Fatal("nil command gave a message")
	}
}

func TestGoldenWritesThenCompares(t *testing.T) {
	t.Chdir(t.TempDir())
	Golden(t, true, "view", "a\nb")
	b, err := os.ReadFile(filepath.Join("testdata", "view.golden"))
	if err != nil || string(b) != "a\nb" {
		t.Fatalf("golden file = %q, %v", b, err)
	}
	Golden(t, false, "view", "a\nb")
}
