package ui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/internal/viewtest"
	"github.com/dbforge/dbforge/theme"
)

// sgr is the escape sequence a style writes before its text.
func sgr(st lipgloss.Style) string {
	out := st.Render("\x01")
	return out[:strings.IndexByte(out, '\x01')]
}

var (
	white = tea.BackgroundColorMsg{Color: color.White}
	black = tea.BackgroundColorMsg{Color: color.Black}
)

// followTerminal starts a live model whose theme follows the terminal's
// background, as with no theme configured.
func followTerminal(t *testing.T) *live {
	t.Helper()
	l := startLive(t, 120, 40, Options{}, "demo", "CREATE TABLE t(a INTEGER)", "INSERT INTO t VALUES (1), (2)")
	l.m.opts.Theme = ""
	return l
}

// TestLightBackgroundRestylesEditorAndInputs: a light terminal reported after
// start gives the editor's cached selection colour and every text input the
// light theme's styles, not the dark ones they were built with.
func TestLightBackgroundRestylesEditorAndInputs(t *testing.T) {
	l := followTerminal(t)
	dark, light := theme.MustNew("dark", true, false), theme.MustNew("light", false, false)

	l.press(kp("alt+4"))
	l.press(viewtest.Typed("SELECT a FROM t")...)
	l.press(kp("alt+a"))
	if s := l.m.Render(); !strings.Contains(s, sgr(dark.EditorSelection())+"SELECT") {
		t.Fatalf("dark selection not drawn before the light background arrives:\n%q", s)
	}

	l.apply(white)
	if l.m.c.Theme.IsDark || l.m.c.Theme.Name != theme.Light {
		t.Fatalf("theme after a white background: %s", l.m.c.Theme.Name)
	}
	s := l.m.Render()
	if !strings.Contains(s, sgr(light.EditorSelection())+"SELECT") || strings.Contains(s, sgr(dark.EditorSelection())) {
		t.Fatalf("editor selection keeps the dark colours on a light terminal:\n%q", s)
	}

	// the results filter prompt, built at start
	l.press(ctrl('r'))
	l.until("the result", func() bool { return len(l.m.grid.model().Rows()) == 2 })
	l.press(kp("alt+5"), kp("/"))
	if s := l.m.Render(); !strings.Contains(s, sgr(light.TextInput().Focused.Prompt)+"filter: ") {
		t.Fatalf("results filter prompt not in light styles:\n%q", s)
	}
	l.press(kp("esc"), kp("e"))
	if s := l.m.Render(); !strings.Contains(s, sgr(light.TextInput().Focused.Prompt)+"export to: ") {
		t.Fatalf("results export prompt not in light styles:\n%q", s)
	}
	l.press(kp("esc"))

	// the databases filter, built at start
	l.press(kp("alt+1"), kp("/"))
	if s := l.m.Render(); !strings.Contains(s, sgr(light.TextInput().Focused.Prompt)+"/") {
		t.Fatalf("databases filter not in light styles:\n%q", s)
	}
	l.press(kp("esc"))

	// the schema filter, built at start
	l.press(kp("alt+2"), kp("/"))
	if s := l.m.Render(); !strings.Contains(s, sgr(light.TextInput().Focused.Prompt)+"/") {
		t.Fatalf("schema filter not in light styles:\n%q", s)
	}
}

// TestBackgroundChangeRestylesOpenPrompt: a prompt open while the terminal
// reports its background follows it, both ways.
func TestBackgroundChangeRestylesOpenPrompt(t *testing.T) {
	l := followTerminal(t)
	l.press(kp("alt+1"), kp("n"))
	l.until("the new-database prompt", func() bool { return l.m.overlay == overlayDialog })
	for _, c := range []struct {
		msg tea.BackgroundColorMsg
		th  theme.Theme
	}{{white, theme.MustNew("light", false, false)}, {black, theme.MustNew("dark", true, false)}} {
		l.apply(c.msg)
		want := sgr(c.th.TextInput().Focused.Prompt) + "› "
		if s := l.m.Render(); !strings.Contains(s, want) {
			t.Fatalf("open prompt after a %s background: want %q in\n%q", c.th.Name, want, s)
		}
	}
}

// TestConfiguredThemeIgnoresBackground: a configured theme stays put.
func TestConfiguredThemeIgnoresBackground(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "demo")
	l.apply(white)
	if l.m.c.Theme.Name != theme.Dark {
		t.Fatalf("theme = dark in the config, a white terminal switched it to %s", l.m.c.Theme.Name)
	}
}
