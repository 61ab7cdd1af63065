package ui

import (
	"fmt"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// An export never replaces a file unasked: a command looks at the target
// (Update does no I/O) and, when a file is there, asks first. The export
// then runs with the answer, so a file that appears in between is refused
// (app.ErrExists), not clobbered.

// checkedExport is an export whose target was looked at: replace is
// app.ReplaceExisting once the person said yes, else app.KeepExisting.
type checkedExport struct {
	export  tea.Msg // action.ExportDatabase or action.ExportResult
	replace app.Replace
}

// askReplace is the question whether to replace the file at path.
type askReplace struct {
	path    string
	confirm action.Confirm
}

// checkTarget says the export is being prepared and looks at its target:
// the answer is the export unchanged when nothing is there, else the
// question whether to replace the file.
func (m *Model) checkTarget(export tea.Msg, path string) tea.Cmd {
	m.setStatus("preparing the export to "+sanitize.Line(path)+"…", false)
	return func() tea.Msg {
		fresh := checkedExport{export: export, replace: app.KeepExisting}
		abs, err := app.ExpandPath(path)
		if err != nil {
			return fresh // the export says why
		}
		if st, err := os.Stat(abs); err != nil || st.IsDir() {
			return fresh
		}
		return askReplace{path: abs, confirm: action.Confirm{
			Prompt: fmt.Sprintf("Replace %s?", sanitize.Line(filepath.Base(abs))),
			Detail: fmt.Sprintf("%s already holds it. The export is written beside it and replaces it only once complete.",
				sanitize.Line(filepath.Dir(abs))),
			OnYes: checkedExport{export: export, replace: app.ReplaceExisting},
		}}
	}
}

// onAskReplace shows the question; the status bar says why it is asked
// and stays true when the answer is no.
func (m *Model) onAskReplace(a askReplace) tea.Cmd {
	m.setStatus(sanitize.Line(a.path)+" exists: nothing exported yet", false)
	cmd, _ := m.onAction(a.confirm)
	return cmd
}

// onCheckedExport starts an export whose target was looked at.
func (m *Model) onCheckedExport(c checkedExport) tea.Cmd {
	switch a := c.export.(type) {
	case action.ExportDatabase:
		return m.exportDatabase(a, c.replace)
	case action.ExportResult:
		return m.exportQueryResult(a, c.replace)
	}
	return nil
}
