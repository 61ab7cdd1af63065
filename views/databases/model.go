// Package databases is the pane listing database instances: status, size and
// last access, with a filter, and keys to spawn, prune, delete and select.
package databases

import (
	"strings"
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/listfilter"
)

// Model is the databases pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Databases

	all      []client.Database // as last received, in server order
	visible  []int             // indexes into all after the pruned toggle and the filter
	loaded   bool
	err      error
	current  string
	now      time.Time
	readOnly bool

	spawnBackend string // the backend the new-database prompt starts on

	showPruned bool
	filter     listfilter.Filter

	backups backupList // the backup list overlay (B)

	reveal         string // put the cursor here once the name is listed
	cursor, offset int
	width, height  int
	focused        bool
}

// New returns an empty databases pane.
func New(th *theme.Theme, keys keymap.Databases) Model {
	return Model{th: th, keys: keys, filter: listfilter.New(th, "filter")}
}

// SetDatabases replaces the list; the cursor stays on the same name when it
// is still there.
func (m *Model) SetDatabases(list []client.Database) {
	keep := m.Selected()
	m.all = list
	m.loaded = true
	m.err = nil
	m.refilter(keep)
	m.applyReveal()
}

// Reveal puts the cursor on name, now or as soon as a list containing it
// arrives (e.g. a database just spawned).
func (m *Model) Reveal(name string) {
	m.reveal = name
	m.applyReveal()
}

func (m *Model) applyReveal() {
	if m.reveal == "" {
		return
	}
	for i, idx := range m.visible {
		if m.all[idx].Name == m.reveal {
			m.cursor, m.reveal = i, ""
			m.clampScroll()
			return
		}
	}
}

// SetError shows why the list could not be loaded; the last list stays.
func (m *Model) SetError(err error) { m.err = err }

// SetCurrent marks the database every pane follows.
func (m *Model) SetCurrent(name string) { m.current = name }

// SetNow sets the clock last-access times are shown relative to.
func (m *Model) SetNow(t time.Time) { m.now = t }

// SetReadOnly hides the keys that change instances.
func (m *Model) SetReadOnly(ro bool) { m.readOnly = ro }

// RememberBackend makes backend the new-database prompt's first choice,
// e.g. the one picked for the last database created.
func (m *Model) RememberBackend(backend string) { m.spawnBackend = backend }

// Backend is the backend of database name as last listed ("" when unknown
// or not listed).
func (m Model) Backend(name string) string {
	for _, d := range m.all {
		if d.Name == name {
			return d.Backend
		}
	}
	return ""
}

// ShowPruned reports whether pruned databases are listed.
func (m Model) ShowPruned() bool { return m.showPruned }

// Databases returns the full list last set.
func (m Model) Databases() []client.Database { return m.all }

// Selected returns the name under the cursor, or "".
func (m Model) Selected() string {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return ""
	}
	return m.all[m.visible[m.cursor]].Name
}

// SetSize sets the inner size of the pane.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.filter.Input.SetWidth(max(m.width-3, 1))
	m.clampScroll()
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away; a filter being typed stays applied.
func (m *Model) Blur() {
	m.focused = false
	m.filter.Close()
}

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is true while the filter is being typed, and while the
// backup list is open: it takes every key (esc closes it) so that q or a
// digit does not leave it half way through choosing a backup.
func (m Model) InTextInput() bool { return m.filter.Typing || m.backups.open }

// Keys returns the pane's bindings for the help views.
func (m Model) Keys() keymap.Databases { return m.keys }

// refilter rebuilds visible and puts the cursor on keep when present.
func (m *Model) refilter(keep string) {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.visible = m.visible[:0]
	for i, d := range m.all {
		if !m.showPruned && d.Status == "stopped" {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(d.Name), q) {
			continue
		}
		m.visible = append(m.visible, i)
	}
	m.cursor = 0
	for i, idx := range m.visible {
		if m.all[idx].Name == keep {
			m.cursor = i
			break
		}
	}
	m.clampScroll()
}

// listHeight is the number of rows available for entries.
func (m Model) listHeight() int {
	return max(m.height-1-m.filter.FooterLines(m.err), 0) // 1: the header
}

func (m *Model) clampScroll() {
	n := len(m.visible)
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	h := m.listHeight()
	if h <= 0 {
		m.offset = m.cursor
		return
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = min(max(m.offset, 0), max(n-h, 0))
}

// RefreshStyles rebuilds the styles derived from the theme after it changed.
func (m *Model) RefreshStyles() { m.filter.Input.SetStyles(m.th.TextInput()) }
