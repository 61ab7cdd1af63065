package theme

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// Syntax returns the lipgloss style for a chroma token type, so highlighted
// SQL follows the theme (and NO_COLOR) like everything else.
func (t Theme) Syntax(tt chroma.TokenType) lipgloss.Style {
	s := lipgloss.NewStyle()
	switch {
	case tt.InCategory(chroma.Keyword):
		return s.Foreground(t.P.Keyword).Bold(true)
	case tt.InSubCategory(chroma.LiteralString):
		return s.Foreground(t.P.String)
	case tt.InSubCategory(chroma.LiteralNumber):
		return s.Foreground(t.P.Number)
	case tt.InCategory(chroma.Comment):
		return s.Foreground(t.P.Comment).Italic(true)
	case tt.InCategory(chroma.Operator), tt.InCategory(chroma.Punctuation):
		return s.Foreground(t.P.Operator)
	case tt == chroma.NameFunction || tt == chroma.NameBuiltin:
		return s.Foreground(t.P.Function)
	case tt.InCategory(chroma.Name):
		return s.Foreground(t.P.Ident)
	case tt == chroma.Error:
		return s.Foreground(t.P.Bad).Underline(true)
	}
	return s.Foreground(t.P.Fg)
}

// ChromaStyle is the chroma style matching the theme, for renderers that
// use chroma's own formatters.
func (t Theme) ChromaStyle() *chroma.Style {
	hex := func(c color.Color) string {
		if c == nil {
			return ""
		}
		r, g, b, _ := c.RGBA()
		return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	}
	entry := func(c color.Color, extra string) string {
		h := hex(c)
		if h == "" {
			return extra
		}
		return extra + " " + h
	}
	return chroma.MustNewStyle("dbforge-"+t.Name, chroma.StyleEntries{
		chroma.Text:          entry(t.P.Fg, ""),
		chroma.Keyword:       entry(t.P.Keyword, "bold"),
		chroma.LiteralString: entry(t.P.String, ""),
		chroma.LiteralNumber: entry(t.P.Number, ""),
		chroma.Comment:       entry(t.P.Comment, "italic"),
		chroma.Operator:      entry(t.P.Operator, ""),
		chroma.Punctuation:   entry(t.P.Operator, ""),
		chroma.NameFunction:  entry(t.P.Function, ""),
		chroma.NameBuiltin:   entry(t.P.Function, ""),
		chroma.Name:          entry(t.P.Ident, ""),
		chroma.Error:         entry(t.P.Bad, "underline"),
	})
}
