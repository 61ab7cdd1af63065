package theme

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

func TestNewKnownAndUnknown(t *testing.T) {
	for _, n := range Names() {
		th, err := New(n, true, false)
		if err != nil || th.Name != n {
			t.Fatalf("New(%q) = %q, %v", n, th.Name, err)
		}
	}
	if _, err := New("neon", true, false); err == nil || !strings.Contains(err.Error(), "neon") {
		t.Fatalf("unknown theme error = %v", err)
	}
}

func TestDefaultFollowsBackground(t *testing.T) {
	if th, _ := New("", false, false); th.Name != Light || th.IsDark {
		t.Fatalf("light background gave %q", th.Name)
	}
	if th, _ := New("", true, false); th.Name != Dark || !th.IsDark {
		t.Fatalf("dark background gave %q", th.Name)
	}
}

func TestNoColorDropsColourKeepsEmphasis(t *testing.T) {
	th, _ := New(Dark, true, true)
	if th.P.Accent != nil || th.P.Bad != nil {
		t.Fatal("NO_COLOR theme still has colours")
	}
	if !th.Selected.GetReverse() {
		t.Fatal("NO_COLOR selection must stay visible (reverse)")
	}
	if th.Syntax(chroma.Keyword).GetForeground() != nil && th.P.Keyword != nil {
		t.Fatal("syntax colour under NO_COLOR")
	}
}

func TestChromaStyleMatchesPalette(t *testing.T) {
	th, _ := New(Dark, true, false)
	st := th.ChromaStyle()
	kw := st.Get(chroma.Keyword)
	if !kw.Colour.IsSet() || kw.Bold != chroma.Yes {
		t.Fatalf("keyword entry = %+v", kw)
	}
	r, g, b, _ := th.P.Keyword.RGBA()
	if kw.Colour.Red() != uint8(r>>8) || kw.Colour.Green() != uint8(g>>8) || kw.Colour.Blue() != uint8(b>>8) {
		t.Fatalf("keyword colour %v does not match palette", kw.Colour)
	}
}

func TestTextInputFollowsThePalette(t *testing.T) {
	light, dark := MustNew(Light, false, false), MustNew(Dark, true, false)
	if light.TextInput().Focused.Prompt.GetForeground() != light.P.Accent ||
		light.TextInput().Focused.Text.GetForeground() != light.P.Fg {
		t.Fatal("light text input not built from the light palette")
	}
	if dark.TextInput().Focused.Text.GetForeground() == light.TextInput().Focused.Text.GetForeground() {
		t.Fatal("dark and light text inputs share a text colour")
	}
	plain := MustNew(Dark, true, true).TextInput()
	if out := plain.Focused.Prompt.Render("/"); out != "/" {
		t.Fatalf("NO_COLOR input prompt still coloured: %q", out)
	}
}
