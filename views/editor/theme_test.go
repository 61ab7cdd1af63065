package editor

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

func sgr(st lipgloss.Style) string {
	out := st.Render("\x01")
	return out[:strings.IndexByte(out, '\x01')]
}

// TestRefreshStylesFollowsTheTheme: the highlighting and selection escape
// sequences cached at New follow a theme swapped in place, for text coloured
// before the change too.
func TestRefreshStylesFollowsTheTheme(t *testing.T) {
	th := theme.MustNew(theme.Dark, true, false)
	dark, light := th, theme.MustNew(theme.Light, false, false)
	m := New(&th, keymap.Default().Editor)
	m.SetSize(60, 5)
	m.Focus()
	m.SetText("SELECT 1 FROM t")
	m, _ = m.Update(kp("alt+a"))
	before := m.View()
	if !strings.Contains(before, sgr(dark.EditorSelection())) {
		t.Fatalf("no dark selection before the change: %q", before)
	}
	th = light
	m.RefreshStyles()
	after := m.View()
	if strings.Contains(after, sgr(dark.EditorSelection())) || !strings.Contains(after, sgr(light.EditorSelection())) {
		t.Fatalf("selection keeps the dark colours: %q", after)
	}
	m, _ = m.Update(kp("right")) // drop the selection: the keywords show
	plain := m.View()
	if !strings.Contains(plain, sgr(light.Syntax(chroma.Keyword))+"SELECT") {
		t.Fatalf("keyword not in the light colour: %q", plain)
	}
	if d := sgr(dark.Syntax(chroma.Keyword)); strings.Contains(plain, d) {
		t.Fatalf("dark keyword colour %q still drawn: %q", d, plain)
	}
}
