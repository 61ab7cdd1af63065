package databases

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
)

const (
	sizeCol = 10 // "1023.9 KiB"
	agoCol  = 9
)

// Title is the border title: the count, and the filter or pruned toggle
// when they narrow or widen the list.
func (m Model) Title() string {
	t := "Databases"
	if m.backups.open {
		return t + " · backups of " + sanitize.Line(m.backups.db)
	}
	if !m.loaded {
		return t
	}
	if len(m.visible) != len(m.all) {
		t += fmt.Sprintf(" · %d/%d", len(m.visible), len(m.all))
	} else {
		t += fmt.Sprintf(" · %d", len(m.all))
	}
	if m.showPruned {
		t += " · +pruned"
	}
	return t
}

// View draws exactly height lines of width cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	if m.backups.open {
		return m.backupsView()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.th.Muted.Render(m.row("", "NAME", "SIZE", "ACCESSED")))
	switch {
	case !m.loaded && m.err == nil:
		lines = append(lines, m.th.Muted.Render("loading…"))
	case len(m.visible) == 0:
		lines = append(lines, m.th.Muted.Render(m.emptyText()))
	default:
		end := min(m.offset+m.listHeight(), len(m.visible))
		for i := m.offset; i < end; i++ {
			lines = append(lines, m.entry(i))
		}
	}
	for len(lines) < m.height-m.footerLines() {
		lines = append(lines, "")
	}
	lines = lines[:max(m.height-m.footerLines(), 0)]
	lines = append(lines, m.filter.Footer(m.th, m.err)...)
	for i := range lines {
		lines[i] = textfit.Ellipsis(lines[i], m.width)
	}
	for len(lines) < m.height {
		lines = append(lines, strings.Repeat(" ", m.width))
	}
	return strings.Join(lines[:m.height], "\n")
}

func (m Model) footerLines() int {
	return min(m.filter.FooterLines(m.err), m.height)
}

func (m Model) emptyText() string {
	switch {
	case m.filter.Value() != "":
		return "no match"
	case len(m.all) > 0:
		return "only pruned databases — s shows them"
	case m.readOnly:
		return "no databases"
	}
	return "no databases — n creates one"
}

// entry renders visible row i.
func (m Model) entry(i int) string {
	d := m.all[m.visible[i]]
	glyph, dotStyle := m.th.StatusDot(d.Status)
	name := sanitize.Line(d.Name)
	if d.Backend == client.BackendPostgres {
		name += " [pg]" // SQLite, the default, goes unmarked
	}
	if d.Name == m.current {
		name = "▸" + name
	} else {
		name = " " + name
	}
	line := m.row(glyph, name, Size(d.SizeBytes), Ago(d.LastAccessed, m.now))
	if i == m.cursor && m.focused {
		return m.th.Selected.Render(textfit.Ellipsis(line, m.width))
	}
	// Colour only the dot so the text keeps the body colour.
	rest := strings.TrimPrefix(line, glyph)
	style := m.th.Text
	if d.Name == m.current {
		style = m.th.Accent.Bold(true)
	}
	if i == m.cursor {
		style = style.Underline(true)
	}
	return dotStyle.Render(glyph) + style.Render(rest)
}

// row lays out the columns for the current width, dropping the access time
// and then the size when the pane is narrow.
func (m Model) row(dot, name, size, ago string) string {
	if dot == "" {
		dot = " "
	}
	w := m.width
	showAgo := w >= 2+12+sizeCol+agoCol
	showSize := w >= 2+12+sizeCol
	nameW := w - 2
	if showSize {
		nameW -= sizeCol + 1
	}
	if showAgo {
		nameW -= agoCol + 1
	}
	var b strings.Builder
	b.WriteString(dot)
	b.WriteString(" ")
	b.WriteString(textfit.Ellipsis(name, max(nameW, 0)))
	if showSize {
		b.WriteString(" ")
		b.WriteString(lipgloss.PlaceHorizontal(sizeCol, lipgloss.Right, size))
	}
	if showAgo {
		b.WriteString(" ")
		b.WriteString(lipgloss.PlaceHorizontal(agoCol, lipgloss.Right, ago))
	}
	return b.String()
}
