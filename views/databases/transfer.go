package databases

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// transferKey handles x (export), i (import), b (back up) and B (the
// backup list) on the database under the cursor.
func (m Model) transferKey(km tea.KeyPressMsg, name string) (Model, tea.Cmd) {
	if name == "" {
		return m, nil
	}
	k := m.keys
	switch {
	case key.Matches(km, k.Export):
		return m, action.Emit(ExportPrompt(name))
	case key.Matches(km, k.Import):
		if m.readOnly {
			return m, readOnlyStatus()
		}
		return m, action.Emit(ImportPrompt(name))
	case key.Matches(km, k.Backup):
		return m, action.Emit(action.Confirm{
			Prompt: fmt.Sprintf("Back up %q now?", sanitize.Line(name)),
			Detail: "A consistent snapshot, taken while the database keeps serving. B lists the backups.",
			OnYes:  action.BackupDatabase{DB: name},
		})
	case key.Matches(km, k.Backups):
		m.backups = backupList{open: true, db: name, loading: true}
		return m, action.Emit(action.ListBackups{DB: name})
	}
	return m, nil
}

// ExportPrompt asks where to export db. A .sql file gets the whole
// database; .csv, .json and .ndjson one table, asked for next (default:
// the file's name).
func ExportPrompt(db string) action.Prompt {
	return action.Prompt{
		Title:       "Export " + sanitize.Line(db),
		Label:       "File",
		Placeholder: "db.sql (all) or table.csv / .json / .ndjson",
		Path:        true,
		Validate:    validateExportPath,
		OnSubmit: func(path string) tea.Msg {
			path = strings.TrimSpace(path)
			format := ExportFormat(path)
			if format == app.SQL {
				return action.ExportDatabase{DB: db, Path: path, Format: format}
			}
			def := baseName(path)
			return action.Prompt{
				Title:       fmt.Sprintf("Export %s as %s", sanitize.Line(db), format),
				Label:       "Table",
				Placeholder: def,
				OnSubmit: func(table string) tea.Msg {
					return action.ExportDatabase{DB: db, Table: orDefault(table, def), Path: path, Format: format}
				},
			}
		},
	}
}

// ImportPrompt asks which file to import into db: a .csv or .tsv goes
// into a table, asked for next (default: the file's name); a .sql script
// runs as it is.
func ImportPrompt(db string) action.Prompt {
	return action.Prompt{
		Title:       "Import into " + sanitize.Line(db),
		Label:       "File",
		Placeholder: "data.csv, data.tsv or script.sql",
		Path:        true,
		Validate:    validateImportPath,
		OnSubmit: func(path string) tea.Msg {
			path = strings.TrimSpace(path)
			if ImportFormat(path) == app.SQL {
				return action.ImportFile{DB: db, Path: path, Format: app.SQL}
			}
			def := baseName(path)
			return action.Prompt{
				Title:       "Import " + sanitize.Line(filepath.Base(path)) + " into " + sanitize.Line(db),
				Label:       "Table",
				Placeholder: def + " (created when missing)",
				OnSubmit: func(table string) tea.Msg {
					return action.ImportFile{DB: db, Table: orDefault(table, def), Path: path, Format: app.CSV}
				},
			}
		},
	}
}

// ExportFormat is the export format a file name asks for, "" for none
// (app's format table; a .tsv is refused, see validateExportPath).
func ExportFormat(path string) string {
	f, err := app.ExportFormatFromPath(path)
	if err != nil {
		return ""
	}
	return f
}

// ImportFormat is the import format a file name asks for, "" for none.
func ImportFormat(path string) string { return app.ImportFormatFromPath(path) }

func validateExportPath(s string) error {
	if err := validatePath(s); err != nil {
		return err
	}
	if f, err := app.ExportFormatFromPath(s); err != nil {
		return err
	} else if f == "" {
		return errors.New("end the name in " + app.OrList(app.ExportExtensions()))
	}
	return nil
}

func validateImportPath(s string) error {
	if err := validatePath(s); err != nil {
		return err
	}
	if ImportFormat(s) == "" {
		return errors.New("end the name in " + app.OrList(app.ImportExtensions()))
	}
	return nil
}

func validatePath(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("a file name is required")
	}
	if strings.HasSuffix(s, "/") || strings.HasSuffix(s, string(filepath.Separator)) {
		return errors.New("that is a directory: add a file name")
	}
	return nil
}

// baseName is a file's name without directory or extension: the default
// table name.
func baseName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}
