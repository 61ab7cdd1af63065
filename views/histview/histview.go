// Package histview is the searchable history overlay: the current
// database's statements, newest first, with when they ran and how long they
// took; typing filters, enter puts the chosen one in the editor.
package histview

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/history"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/textfit"
)

// Chosen is emitted when the user picks an entry.
type Chosen struct{ SQL string }

// Model is the history overlay.
type Model struct {
	th     *theme.Theme
	keys   keymap.History
	back   key.Binding // closes the view (the root handles it)
	db     string
	all    []history.Entry // newest first
	shown  []int           // indexes into all that match the filter
	filter string
	cur    int // index into shown
	now    time.Time
}

// page is how far pgup/pgdown move.
const page = 10

// New opens the view over entries (oldest first, as the store keeps them).
func New(th *theme.Theme, keys keymap.History, back key.Binding, db string, entries []history.Entry, now time.Time) Model {
	m := Model{th: th, keys: keys, back: back, db: db, now: now}
	for i := len(entries) - 1; i >= 0; i-- {
		m.all = append(m.all, entries[i])
	}
	m.refilter()
	return m
}

// Filter is the text typed so far.
func (m Model) Filter() string { return m.filter }

// Shown is the number of entries that match the filter.
func (m Model) Shown() int { return len(m.shown) }

// refilter keeps the entries holding every word of the filter
// (case-insensitive, in any order).
func (m *Model) refilter() {
	words := strings.Fields(strings.ToLower(m.filter))
	m.shown = m.shown[:0]
	for i, e := range m.all {
		low := strings.ToLower(e.SQL)
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(low, w)
		}
		if ok {
			m.shown = append(m.shown, i)
		}
	}
	m.cur = 0
}

// Update handles keys; it returns Chosen (as a command) on enter.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		m.filter += strings.ReplaceAll(msg.Content, "\n", " ")
		m.refilter()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Select):
			if len(m.shown) == 0 {
				return m, action.Emit(action.Status{Text: "no history entry matches " + sanitize.Line(m.filter), Error: true})
			}
			sql := m.all[m.shown[m.cur]].SQL
			return m, func() tea.Msg { return Chosen{SQL: sql} }
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(1)
		case key.Matches(msg, m.keys.PageUp):
			m.move(-page)
		case key.Matches(msg, m.keys.PageDown):
			m.move(page)
		case key.Matches(msg, m.keys.Clear):
			m.filter = ""
			m.refilter()
		case msg.Code == tea.KeyBackspace:
			if r := []rune(m.filter); len(r) > 0 {
				m.filter = string(r[:len(r)-1])
				m.refilter()
			}
		case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper) == 0:
			m.filter += msg.Text
			m.refilter()
		}
	}
	return m, nil
}

func (m *Model) move(d int) {
	if len(m.shown) == 0 {
		return
	}
	m.cur = min(max(m.cur+d, 0), len(m.shown)-1)
}

// View draws the box within maxWidth × maxHeight cells.
func (m Model) View(maxWidth, maxHeight int) string {
	inner := max(min(maxWidth-4, 110), 20)
	rows := max(maxHeight-8, 1)
	top := max(m.cur-rows+1, 0) // the chosen row is always on screen
	title := fmt.Sprintf("History · %s · %d of %d", sanitize.Line(m.db), len(m.shown), len(m.all))
	parts := []string{m.th.Title.Render(textfit.Ellipsis(title, inner))}
	parts = append(parts, m.th.Accent.Render("/ ")+m.th.Text.Render(textfit.Ellipsis(sanitize.Line(m.filter), inner-3))+m.th.Accent.Render("▏"))
	parts = append(parts, "")
	if len(m.all) == 0 {
		parts = append(parts, m.th.Muted.Render("no history for this database yet"))
	} else if len(m.shown) == 0 {
		parts = append(parts, m.th.Muted.Render("nothing matches"))
	}
	for i := top; i < len(m.shown) && i < top+rows; i++ {
		parts = append(parts, m.row(m.all[m.shown[i]], i == m.cur, inner))
	}
	for len(parts) < rows+3 {
		parts = append(parts, "")
	}
	parts = append(parts, "", m.th.Muted.Render(textfit.Ellipsis("type to filter · "+m.keys.Select.Help().Key+" puts it in the editor · "+
		m.keys.Up.Help().Key+"/"+m.keys.Down.Help().Key+" choose · "+m.back.Help().Key+" closes", inner)))
	return m.th.Overlay.Render(lipgloss.NewStyle().Width(inner).Render(strings.Join(parts, "\n")))
}

// row is "when  took  first line of the statement".
func (m Model) row(e history.Entry, selected bool, width int) string {
	when := "—"
	if !e.At.IsZero() {
		when = stamp(e.At.In(m.now.Location()), m.now) // the clock's zone: local in use, fixed in tests
	}
	took := ""
	if e.MS > 0 {
		took = formatMS(e.MS)
	}
	head := fmt.Sprintf("%-12s %8s  ", when, took)
	sql := sanitize.Line(strings.Join(strings.Fields(e.SQL), " "))
	line := head + ansi.Truncate(sql, max(width-len(head), 1), "…")
	line = textfit.Ellipsis(line, width)
	if selected {
		return m.th.Selected.Render(line + strings.Repeat(" ", max(width-ansi.StringWidth(line), 0)))
	}
	return m.th.Muted.Render(head) + m.th.Text.Render(strings.TrimPrefix(line, head))
}

// stamp is the time of day for today's entries, else the date too.
func stamp(t, now time.Time) string {
	if y, mo, d := t.Date(); y == now.Year() && mo == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	if t.Year() == now.Year() {
		return t.Format("Jan 02 15:04")
	}
	return t.Format("2006-01-02")
}

func formatMS(ms float64) string {
	switch {
	case ms < 1:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	case ms < 60_000:
		return fmt.Sprintf("%.1f s", ms/1000)
	}
	return (time.Duration(ms) * time.Millisecond).Truncate(time.Second).String()
}
