package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dustin/go-humanize"
)

// maxSQLFile bounds a .sql file opened into the editor.
const maxSQLFile = 8 << 20

// exportTimeout bounds a whole export; each page still has the request
// timeout.
const exportTimeout = 30 * time.Minute

// fileMsg answers an open or save.
type fileMsg struct {
	open bool
	path string // as typed, for the editor
	abs  string // for the status bar
	text string
	err  error
}

// exportMsg answers an ExportResult.
type exportMsg struct {
	path string
	rows int
	err  error
}

// openFile reads a .sql file into the editor.
func (m *Model) openFile(a action.OpenFile) tea.Cmd {
	path := a.Path
	return func() tea.Msg {
		abs, err := app.ExpandPath(path)
		if err != nil {
			return fileMsg{open: true, path: path, err: err}
		}
		text, err := readSQL(abs)
		return fileMsg{open: true, path: path, abs: abs, text: text, err: err}
	}
}

func readSQL(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return "", fmt.Errorf("%s is a directory", path)
	}
	if info.Size() > maxSQLFile {
		return "", fmt.Errorf("%s is %s; the editor opens files up to %s", path,
			units.Bytes(info.Size()), units.Bytes(maxSQLFile))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(data) || strings.ContainsRune(string(data), 0) {
		return "", fmt.Errorf("%s is not a text file", path)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n"), nil
}

// saveFile writes the editor's text.
func (m *Model) saveFile(a action.SaveFile) tea.Cmd {
	return func() tea.Msg {
		abs, err := app.ExpandPath(a.Path)
		if err == nil {
			_, err = app.WriteFile(abs, app.ReplaceExisting, func(w io.Writer) (int64, error) {
				n, err := io.WriteString(w, a.Text)
				return int64(n), err
			})
		}
		return fileMsg{path: a.Path, abs: abs, err: err}
	}
}

func (m *Model) onFile(msg fileMsg) tea.Cmd {
	verb := "saving"
	if msg.open {
		verb = "opening"
	}
	if msg.err != nil {
		m.setStatus(verb+" "+sanitize.Line(msg.path)+": "+sanitize.Line(msg.err.Error()), true)
		return nil
	}
	ep := m.editor.model()
	if msg.open {
		ep.SetText(msg.text)
		m.setStatus("opened "+sanitize.Line(msg.abs), false)
	} else {
		m.setStatus("saved "+sanitize.Line(msg.abs), false)
	}
	ep.SetPath(msg.path)
	return nil
}

// exportResult writes the shown result to a file, page by page, in a
// command: the UI stays responsive while a large result is written.
func (m *Model) exportResult(a action.ExportResult, replace app.Replace) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil {
		m.setStatus("export: the result changed, nothing written", true)
		return nil
	}
	cols := m.grid.model().Columns()
	api, timeout := m.api, m.opts.Timeout
	m.setStatus("exporting to "+sanitize.Line(a.Path)+"…", false)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(q.ctx, exportTimeout)
		defer cancel()
		pages := func(offset, limit int) ([][]any, bool, error) {
			pctx, pcancel := context.WithTimeout(ctx, timeout)
			defer pcancel()
			res, err := safeCall(func() (*client.QueryResult, error) {
				return api.Query(pctx, q.db, client.QueryRequest{SQL: q.sql, Params: q.params, Limit: limit, Offset: offset, Shape: "rows"})
			})
			if err != nil {
				return nil, false, err
			}
			if res == nil {
				return nil, false, errors.New("empty answer")
			}
			return res.Rows, res.HasMore, nil
		}
		abs, err := app.ExpandPath(a.Path)
		if err != nil {
			return exportMsg{path: a.Path, err: err}
		}
		n, err := app.WriteResultFile(abs, replace, cols, pages)
		return exportMsg{path: abs, rows: n, err: err}
	}
}

func (m *Model) onExport(msg exportMsg) tea.Cmd {
	path := sanitize.Line(msg.path)
	if msg.err != nil {
		m.setStatus("export to "+path+" failed: "+sanitize.Line(msg.err.Error()), true)
		return nil
	}
	noun := "rows"
	if msg.rows == 1 {
		noun = "row"
	}
	m.setStatus(fmt.Sprintf("exported %s %s to %s", humanize.Comma(int64(msg.rows)), noun, path), false)
	return nil
}

// firstLine is s's first non-blank line.
func firstLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
