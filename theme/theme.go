// Package theme holds every colour and lipgloss style of DB-Forge. Panes ask
// the Theme for styles; nothing else names a colour.
package theme

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
)

// Names of the built-in themes.
const (
	Dark         = "dark"
	Light        = "light"
	HighContrast = "high-contrast"
)

// Names lists the built-in themes in the order they are offered.
func Names() []string { return []string{Dark, Light, HighContrast} }

// Palette is the small set of colours every style is built from. A nil
// colour means "the terminal's default" (used when colour is off).
type Palette struct {
	Fg, Muted, Subtle color.Color // body text, secondary text, faint rules
	Border, Focus     color.Color // pane borders, the focused pane's border
	Accent, Accent2   color.Color // titles and highlights
	Good, Warn, Bad   color.Color // status: running, warning, error
	Null, Number      color.Color // NULL cells, numeric cells
	SelBg, SelFg      color.Color // selected row / cursor line
	BarBg             color.Color // status bar background
	Keyword, String   color.Color // SQL syntax
	Comment, Operator color.Color
	Function, Ident   color.Color
}

// Theme is a palette plus the shared styles built from it.
type Theme struct {
	Name    string
	IsDark  bool
	NoColor bool
	P       Palette

	Title       lipgloss.Style // pane titles
	Text        lipgloss.Style
	Muted       lipgloss.Style
	Subtle      lipgloss.Style
	Accent      lipgloss.Style
	Good        lipgloss.Style
	Warn        lipgloss.Style
	Bad         lipgloss.Style
	Selected    lipgloss.Style // selected row in a list or grid
	Pane        lipgloss.Style // unfocused pane frame
	PaneFocused lipgloss.Style // focused pane frame
	StatusBar   lipgloss.Style
	Overlay     lipgloss.Style // dialogs and the help overlay
	Tab         lipgloss.Style
	TabActive   lipgloss.Style
}

// New builds the named theme. isDark is the terminal's background as
// reported by the terminal; it picks the light or dark variant of the
// default theme when name is empty. noColor (NO_COLOR) drops every colour
// but keeps bold, underline and reverse so focus and selection stay visible.
func New(name string, isDark, noColor bool) (Theme, error) {
	var p Palette
	switch name {
	case "":
		if isDark {
			name, p = Dark, darkPalette()
		} else {
			name, p = Light, lightPalette()
		}
	case Dark:
		p, isDark = darkPalette(), true
	case Light:
		p, isDark = lightPalette(), false
	case HighContrast:
		p = highContrastPalette(isDark)
	default:
		return Theme{}, fmt.Errorf("unknown theme %q (choose %v)", name, Names())
	}
	if noColor {
		p = Palette{}
	}
	return build(name, isDark, noColor, p), nil
}

// MustNew is New for the built-in names; it falls back to Dark on an
// unknown name so callers that validated earlier need no error path.
func MustNew(name string, isDark, noColor bool) Theme {
	t, err := New(name, isDark, noColor)
	if err != nil {
		t, _ = New(Dark, true, noColor)
	}
	return t
}

func build(name string, isDark, noColor bool, p Palette) Theme {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	t := Theme{Name: name, IsDark: isDark, NoColor: noColor, P: p}
	t.Title = fg(p.Accent).Bold(true)
	t.Text = fg(p.Fg)
	t.Muted = fg(p.Muted)
	t.Subtle = fg(p.Subtle)
	t.Accent = fg(p.Accent)
	t.Good = fg(p.Good)
	t.Warn = fg(p.Warn)
	t.Bad = fg(p.Bad).Bold(true)
	t.Selected = lipgloss.NewStyle().Background(p.SelBg).Foreground(p.SelFg).Bold(true)
	if noColor {
		t.Selected = lipgloss.NewStyle().Reverse(true)
	}
	t.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border)
	t.PaneFocused = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(p.Focus)
	t.StatusBar = lipgloss.NewStyle().Background(p.BarBg).Foreground(p.Fg)
	t.Overlay = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(p.Focus).Padding(0, 1)
	t.Tab = fg(p.Muted).Padding(0, 1)
	t.TabActive = fg(p.Accent).Bold(true).Underline(true).Padding(0, 1)
	return t
}

func darkPalette() Palette {
	c := lipgloss.Color
	return Palette{
		Fg: c("#D8DEE9"), Muted: c("#8C95A8"), Subtle: c("#4C566A"),
		Border: c("#4C566A"), Focus: c("#88C0D0"),
		Accent: c("#88C0D0"), Accent2: c("#B48EAD"),
		Good: c("#A3BE8C"), Warn: c("#EBCB8B"), Bad: c("#BF616A"),
		Null: c("#7B8394"), Number: c("#D08770"),
		SelBg: c("#3B4252"), SelFg: c("#ECEFF4"), BarBg: c("#2E3440"),
		Keyword: c("#81A1C1"), String: c("#A3BE8C"), Comment: c("#7B8394"),
		Operator: c("#D8DEE9"), Function: c("#88C0D0"), Ident: c("#E5E9F0"),
	}
}

func lightPalette() Palette {
	c := lipgloss.Color
	return Palette{
		Fg: c("#2E3440"), Muted: c("#5C6370"), Subtle: c("#A0A8B8"),
		Border: c("#A0A8B8"), Focus: c("#0B6E99"),
		Accent: c("#0B6E99"), Accent2: c("#8E44AD"),
		Good: c("#2E7D32"), Warn: c("#9A6700"), Bad: c("#C62828"),
		Null: c("#8A8F98"), Number: c("#B04A00"),
		SelBg: c("#D6E4F0"), SelFg: c("#1B1F24"), BarBg: c("#E5E9F0"),
		Keyword: c("#0B5CAD"), String: c("#2E7D32"), Comment: c("#6A737D"),
		Operator: c("#2E3440"), Function: c("#8E44AD"), Ident: c("#1B1F24"),
	}
}

// highContrastPalette uses the 16 basic ANSI colours only, so it reads the
// same on every terminal, including 16-colour SSH sessions.
func highContrastPalette(isDark bool) Palette {
	c := lipgloss.Color
	fg, bg := c("15"), c("0")
	if !isDark {
		fg, bg = c("0"), c("15")
	}
	return Palette{
		Fg: fg, Muted: fg, Subtle: c("8"),
		Border: fg, Focus: c("11"),
		Accent: c("14"), Accent2: c("13"),
		Good: c("10"), Warn: c("11"), Bad: c("9"),
		Null: c("13"), Number: c("14"),
		SelBg: c("11"), SelFg: c("0"), BarBg: bg,
		Keyword: c("12"), String: c("10"), Comment: c("8"),
		Operator: fg, Function: c("14"), Ident: fg,
	}
}
