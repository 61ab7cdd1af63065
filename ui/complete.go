package ui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/pathinput"
)

// maxCompletions bounds the candidates sent back for one tab; the prompt
// shows a handful and "+N more" for the rest.
const maxCompletions = 500

// onComplete handles path completion requests and their answers; ok is
// false for other messages.
func (m *Model) onComplete(msg tea.Msg) (tea.Cmd, bool) {
	switch a := msg.(type) {
	case action.CompletePath:
		return func() tea.Msg { return listCompletions(a) }, true
	case action.PathCompletions:
		if m.overlay == overlayDialog {
			m.dialog.SetCompletions(a)
		}
		m.grid.model().SetCompletions(a)
		return nil, true
	}
	return nil, false
}

// listCompletions reads the directory the typed path points into and
// returns the entries whose names start with the typed base: hidden ones
// only when the base starts with ".", directories marked (a symlink to
// one counts), sorted, at most maxCompletions of them.
func listCompletions(a action.CompletePath) action.PathCompletions {
	out := action.PathCompletions{ID: a.ID, Seq: a.Seq, Input: a.Input}
	if a.Input == "~" {
		out.Entries, out.Total = []action.PathEntry{{Name: "~", Dir: true}}, 1
		return out
	}
	typedDir, base := pathinput.Split(a.Input)
	dir := typedDir
	if dir == "" {
		dir = "."
	} else if strings.HasPrefix(dir, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			out.Err = err
			return out
		}
		dir = filepath.Join(home, dir[2:])
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		out.Err = readDirError(typedDir, err)
		return out
	}
	hidden := strings.HasPrefix(base, ".")
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (!hidden && strings.HasPrefix(name, ".")) {
			continue
		}
		out.Total++
		if len(out.Entries) >= maxCompletions {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
				isDir = st.IsDir()
			}
		}
		out.Entries = append(out.Entries, action.PathEntry{Name: name, Dir: isDir})
	}
	return out
}

// readDirError says in a few words why the typed directory cannot be
// listed (the prompt shows it under the input).
func readDirError(typed string, err error) error {
	if typed == "" {
		typed = "."
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no directory " + typed)
	case errors.Is(err, fs.ErrPermission):
		return errors.New("cannot read " + typed + ": permission denied")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return errors.New("cannot read " + typed + ": " + pe.Err.Error())
	}
	return err
}
