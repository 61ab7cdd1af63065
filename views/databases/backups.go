package databases

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/textfit"
)

// backupList is the overlay B opens: one database's backups, newest first,
// to pick one to restore.
type backupList struct {
	open           bool
	db             string
	loading        bool
	list           []client.BackupInfo
	err            error
	cursor, offset int
}

// SetBackups fills the backup list of db when it is the one open; an
// answer for a list already closed or another database is dropped.
func (m *Model) SetBackups(db string, list []client.BackupInfo, err error) {
	b := &m.backups
	if !b.open || b.db != db {
		return
	}
	b.loading, b.list, b.err = false, list, err
	b.cursor, b.offset = 0, 0
}

// BackupsOpen reports whether the backup list is shown, and for which
// database.
func (m Model) BackupsOpen() (string, bool) { return m.backups.db, m.backups.open }

func (m Model) updateBackups(km tea.KeyPressMsg) (Model, tea.Cmd) {
	b := &m.backups
	k := m.keys
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, k.Backups):
		m.backups = backupList{}
	case key.Matches(km, k.Up):
		b.cursor = max(b.cursor-1, 0)
	case key.Matches(km, k.Down):
		b.cursor = min(b.cursor+1, max(len(b.list)-1, 0))
	case key.Matches(km, k.Top):
		b.cursor = 0
	case key.Matches(km, k.Bottom):
		b.cursor = max(len(b.list)-1, 0)
	case key.Matches(km, k.Select):
		if b.cursor >= len(b.list) {
			return m, nil
		}
		if m.readOnly {
			return m, readOnlyStatus()
		}
		bk := b.list[b.cursor]
		db := b.db
		m.backups = backupList{}
		return m, action.Emit(action.Confirm{
			Prompt: fmt.Sprintf("Restore %q from %s?", sanitize.Line(db), sanitize.Line(bk.Name)),
			Detail: "Its content is replaced by the backup's: everything written since is lost. Press b first to keep a backup of now.",
			OnYes:  action.RestoreBackup{DB: db, Name: bk.Name},
		})
	}
	m.clampBackups()
	return m, nil
}

func (m *Model) clampBackups() {
	b := &m.backups
	h := max(m.height-2, 1)
	if b.cursor < b.offset {
		b.offset = b.cursor
	}
	if b.cursor >= b.offset+h {
		b.offset = b.cursor - h + 1
	}
}

// backupsView draws the backup list in place of the databases.
func (m Model) backupsView() string {
	b := m.backups
	lines := []string{m.th.Muted.Render(m.backupRow("TAKEN", "SIZE", "NAME"))}
	switch {
	case b.loading:
		lines = append(lines, m.th.Muted.Render("loading backups…"))
	case b.err != nil:
		lines = append(lines, m.th.Bad.Render("✖ "+sanitize.Line(b.err.Error())))
	case len(b.list) == 0:
		lines = append(lines, m.th.Muted.Render("no backups yet — b takes one"))
	default:
		h := max(m.height-2, 1)
		for i := b.offset; i < min(b.offset+h, len(b.list)); i++ {
			bk := b.list[i]
			line := m.backupRow(Ago(bk.CreatedAt, m.now), Size(bk.SizeBytes), sanitize.Line(bk.Name))
			if i == b.cursor {
				line = m.th.Selected.Render(textfit.Ellipsis(line, m.width))
			}
			lines = append(lines, line)
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(m.height-1, 0)]
	lines = append(lines, m.th.Muted.Render("enter restore · esc close"))
	for i := range lines {
		lines[i] = textfit.Ellipsis(lines[i], m.width)
	}
	return strings.Join(lines[:m.height], "\n")
}

// backupRow lays out age, size and name; the name (which holds the exact
// time) is what gets cut when the pane is narrow.
func (m Model) backupRow(created, size, name string) string {
	return textfit.Ellipsis(created, agoCol) + " " + lipgloss.PlaceHorizontal(sizeCol, lipgloss.Right, size) + "  " + name
}
