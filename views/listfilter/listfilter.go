// Package listfilter is the filter of the list panes (databases, schema),
// defined once: a "/" prompt that narrows the list while it is typed (enter
// keeps the text, esc clears it; both leave typing), and the footer drawn
// under the list — the last error, then the prompt while it is typed or
// "/text" once applied.
package listfilter

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/theme"
)

// Filter is the prompt and whether it is being typed.
type Filter struct {
	Input  textinput.Model
	Typing bool
}

// New is an empty filter with placeholder, in th's input styles.
func New(th *theme.Theme, placeholder string) Filter {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = placeholder
	ti.CharLimit = 64
	ti.SetStyles(th.TextInput())
	return Filter{Input: ti}
}

// Open starts typing.
func (f *Filter) Open() tea.Cmd {
	f.Typing = true
	return f.Input.Focus()
}

// Close stops typing; the text stays applied.
func (f *Filter) Close() {
	f.Typing = false
	f.Input.Blur()
}

// Forward gives a message that is not a key (the cursor's blink) to the
// prompt while it is typed.
func (f *Filter) Forward(msg tea.Msg) tea.Cmd {
	if !f.Typing {
		return nil
	}
	var cmd tea.Cmd
	f.Input, cmd = f.Input.Update(msg)
	return cmd
}

// Leave handles enter (keep the text) and esc (clear it): both stop
// typing. It reports whether km was one of them.
func (f *Filter) Leave(km tea.KeyPressMsg) bool {
	if km.Code != tea.KeyEnter && km.Code != tea.KeyEscape {
		return false
	}
	if km.Code == tea.KeyEscape {
		f.Input.SetValue("")
	}
	f.Close()
	return true
}

// Type gives a typed key to the prompt.
func (f *Filter) Type(km tea.KeyPressMsg) tea.Cmd {
	var cmd tea.Cmd
	f.Input, cmd = f.Input.Update(km)
	return cmd
}

// Value is the filter's text.
func (f Filter) Value() string { return f.Input.Value() }

// Footer is what the pane draws under its list for err and the filter.
func (f Filter) Footer(th *theme.Theme, err error) []string {
	var lines []string
	if err != nil {
		lines = append(lines, th.Bad.Render("✖ "+sanitize.Line(err.Error())))
	}
	if f.Typing {
		lines = append(lines, f.Input.View())
	} else if v := f.Value(); v != "" {
		lines = append(lines, th.Accent.Render("/"+sanitize.Line(v)))
	}
	return lines
}

// FooterLines is how many lines Footer draws, without drawing them.
func (f Filter) FooterLines(err error) int {
	n := 0
	if err != nil {
		n++
	}
	if f.Typing || f.Value() != "" {
		n++
	}
	return n
}
