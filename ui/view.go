package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
)

// View draws the whole screen: panes, tab strip (narrow), status bar, and
// the open overlay composited on top.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "dbforge"
	if m.current != "" {
		v.WindowTitle = "dbforge — " + sanitize.Line(m.current)
	}
	return v
}

// Render is the screen as a string (what View puts in the tea.View); tests
// and benchmarks use it directly. The panes tile the screen, so without an
// overlay their lines are joined row by row; only an overlay needs the
// compositor (it is far slower: every cell of every layer is re-measured).
func (m *Model) Render() string {
	w, h := m.c.Width, m.c.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	box := m.overlayBox()
	if box == "" {
		return m.tiled()
	}
	var layers []*lipgloss.Layer
	if !m.wide() {
		layers = append(layers, lipgloss.NewLayer(m.tabStrip()))
	}
	for i, r := range m.rects {
		if r.w == 0 || r.h == 0 {
			continue
		}
		layers = append(layers, lipgloss.NewLayer(m.paneFrame(paneID(i))).X(r.x).Y(r.y))
	}
	layers = append(layers, lipgloss.NewLayer(m.statusBar()).Y(h-1))
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	layers = append(layers, lipgloss.NewLayer(box).X(max((w-bw)/2, 0)).Y(max((h-bh)/3, 0)).Z(10))
	canvas := lipgloss.NewCanvas(w, h)
	canvas.Compose(lipgloss.NewCompositor(layers...))
	return canvas.Render()
}

// tiled joins the tab strip, the panes and the status bar row by row.
// Every frame is exactly its rect's size, so a row is its panes' lines in
// x order.
func (m *Model) tiled() string {
	w, h := m.c.Width, m.c.Height
	rows := make([][]string, h)
	if !m.wide() {
		rows[0] = append(rows[0], strings.TrimRight(m.tabStrip(), " ")) // as the compositor draws it
	}
	order := []paneID{paneDatabases, paneSchema, paneHealth, paneEditor, paneResults} // left column first
	for _, p := range order {
		r := m.rects[p]
		if r.w == 0 || r.h == 0 {
			continue
		}
		for i, line := range strings.Split(m.paneFrame(p), "\n") {
			if y := r.y + i; y >= 0 && y < h-1 && i < r.h {
				rows[y] = append(rows[y], line)
			}
		}
	}
	var sb strings.Builder
	sb.Grow(w * h * 4)
	for y := range h - 1 {
		line := strings.Join(rows[y], "")
		if len(rows[y]) == 0 {
			line = strings.Repeat(" ", w)
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	sb.WriteString(m.statusBar())
	return sb.String()
}

// paneFrame is pane p drawn in its border, from the cache when neither its
// content nor its box changed since the last frame.
func (m *Model) paneFrame(p paneID) string {
	r, s := m.rects[p], m.slots[p]
	key := frameKey{title: s.title(), body: s.view(), w: r.w, h: r.h, focused: p == m.focus}
	return m.frames[p].get(key, func() string {
		return m.frame(key.title, key.body, r.w, r.h, key.focused)
	})
}

// frameKey is what a pane's frame is drawn from.
type frameKey struct {
	title, body string
	w, h        int
	focused     bool
}

// drawCache is a drawing kept until what it is drawn from (its key)
// changes; the zero value holds nothing.
type drawCache[K comparable] struct {
	key K
	out string
	ok  bool
}

// get is the kept drawing when key is unchanged, else draw's, kept.
func (c *drawCache[K]) get(key K, draw func() string) string {
	if c.ok && c.key == key {
		return c.out
	}
	c.key, c.out, c.ok = key, draw(), true
	return c.out
}

// tabStrip is the narrow layout's first line: every pane with its number.
func (m *Model) tabStrip() string {
	th := m.c.Theme
	parts := make([]string, 0, paneCount)
	for i := range paneCount {
		label := m.tabLabel(i)
		if i == m.focus {
			parts = append(parts, th.TabActive.Render(label))
		} else {
			parts = append(parts, th.Tab.Render(label))
		}
	}
	return textfit.Ellipsis(strings.Join(parts, " "), m.c.Width)
}

// tabLabel is a pane's entry in the tab strip: its number key and title.
func (m *Model) tabLabel(p paneID) string {
	return m.c.Keys.Global.Pane[p].Help().Key + " " + paneName(p)
}

// statusBar shows the mode, the current database, the connection, the last
// message and the focused pane's short help. It is drawn again only when
// one of those changed (typing changes none of them).
func (m *Model) statusBar() string {
	label, _ := m.connectionLabel()
	key := barKey{width: m.c.Width, db: m.current, conn: label, status: m.status, isErr: m.statusErr,
		focus: m.focus, tab: m.results.activeName()}
	return m.bar.get(key, m.drawStatusBar)
}

// barKey is what the status bar is drawn from (a theme change clears the
// cache instead: see setTheme).
type barKey struct {
	width            int
	db, conn, status string
	isErr            bool
	focus            paneID
	tab              string
}

func (m *Model) drawStatusBar() string {
	th := m.c.Theme
	bar := th.StatusBar
	sep := bar.Render(" │ ")
	db := m.current
	if db == "" {
		db = "no database"
	}
	// The connection state must show in every layout: the mode and the
	// database name give way to it when the bar is too narrow.
	label, bad := m.connectionLabel()
	mode, dbName := m.mode, sanitize.Line(db)
	fixed := lipgloss.Width(label) + 3*2 + 1 + 4 // two separators, the lead space, the gap
	if over := lipgloss.Width(mode) + lipgloss.Width(dbName) + fixed - m.c.Width; over > 0 {
		mode = ansi.Truncate(mode, max(lipgloss.Width(mode)-over, 8), "…")
	}
	if over := lipgloss.Width(mode) + lipgloss.Width(dbName) + fixed - m.c.Width; over > 0 {
		dbName = ansi.Truncate(dbName, max(lipgloss.Width(dbName)-over, 6), "…")
	}
	left := bar.Bold(true).Render(" "+mode) + sep + bar.Render(dbName) + sep
	// an error that would be cut takes the room of the mode and the
	// database name: it says what failed, and it is what the user must read
	status := sanitize.Line(m.status)
	if m.statusErr && lipgloss.Width(left)+lipgloss.Width(label)+3+lipgloss.Width(status) > m.c.Width {
		left = bar.Render(" ")
	}
	if bad {
		left += bar.Foreground(th.P.Bad).Bold(true).Render(label)
	} else {
		left += bar.Foreground(th.P.Good).Render(label)
	}
	if m.status != "" {
		st := bar
		if m.statusErr {
			st = bar.Foreground(th.P.Bad).Bold(true)
		}
		left += sep + st.Render(status)
	}
	room := m.c.Width - lipgloss.Width(left) - 4
	right := ""
	if room > 10 {
		hm := help.New()
		st := help.DefaultStyles(th.IsDark)
		st.ShortKey, st.ShortDesc, st.ShortSeparator = bar.Foreground(th.P.Accent), bar.Foreground(th.P.Muted), bar.Foreground(th.P.Subtle)
		st.Ellipsis = bar.Foreground(th.P.Muted)
		hm.Styles = st
		hm.SetWidth(room)
		bindings := append(m.slots[m.focus].keys().ShortHelp(), m.c.Keys.Global.ShortHelp()...)
		right = hm.ShortHelpView(bindings)
	}
	minGap := 3 // between the message and the key hints
	if right == "" {
		minGap = 0
	}
	gap := max(m.c.Width-lipgloss.Width(left)-lipgloss.Width(right)-1, minGap)
	line := left + bar.Render(strings.Repeat(" ", gap)) + right + bar.Render(" ")
	return textfit.Ellipsis(line, m.c.Width)
}

// overlayBox renders the open overlay, or "".
func (m *Model) overlayBox() string {
	switch m.overlay {
	case overlayHelp:
		sections := []help.KeyMap{m.c.Keys.Global}
		if k := m.slots[m.focus].keys(); k != nil && len(k.FullHelp()) > 0 {
			sections = append(sections, k)
		}
		return m.helpView.View("Keys · "+paneName(m.focus), sections, min(m.c.Width-2, 100), m.c.Height-1)
	case overlayDialog:
		return m.dialog.View(m.c.Width)
	case overlayHistory:
		return m.histView.View(m.c.Width-2, m.c.Height-2)
	}
	return ""
}
