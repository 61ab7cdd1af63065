package results

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/views/action"
)

// openExport shows the path prompt in the footer.
func (m *Model) openExport() tea.Cmd {
	if m.mode != modeGrid {
		return nil
	}
	m.exporting = true
	m.exportErr = ""
	if m.exportInput.Value() == "" {
		m.exportInput.SetValue("results.csv")
	}
	m.exportInput.CursorEnd()
	return m.exportInput.Focus()
}

func (m *Model) closeExport() {
	m.exporting = false
	m.exportErr = ""
	m.exportInput.Blur()
}

// updateExport handles the path prompt: enter exports when the extension
// names a format, esc cancels.
func (m Model) updateExport(km tea.KeyPressMsg) (Model, tea.Cmd) {
	switch km.Code {
	case tea.KeyEscape:
		m.closeExport()
		return m, nil
	case tea.KeyEnter:
		path := strings.TrimSpace(m.exportInput.Value())
		format, err := app.ResultFormatFromPath(path)
		if err != nil {
			m.exportErr = err.Error()
			return m, nil
		}
		m.closeExport()
		return m, action.Emit(action.ExportResult{QueryID: m.queryID, Path: path, Format: format})
	}
	var cmd tea.Cmd
	m.exportInput, cmd = m.exportInput.Update(km)
	m.exportErr = ""
	return m, cmd
}
