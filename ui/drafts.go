package ui

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/history"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/dialog"
	"github.com/dbforge/dbforge/views/editor"
)

// draftDelay is how long typing must pause before the draft is written.
const draftDelay = 2 * time.Second

// draftState follows the editor's draft: whose database it belongs to,
// whether that database's stored draft has been read (before that nothing
// is written, so a stored draft is never overwritten unread), and the
// editor's change count last seen, for the debounce.
type draftState struct {
	db    string // draft name of the database the editor's tabs belong to
	ready bool
	seen  int // editor edits when the last save was scheduled
	gen   int // debounce generation: only the latest tick saves
	asked bool
}

type draftLoadedMsg struct {
	db   string
	data []byte
	err  error
}

type draftTickMsg struct{ gen int }

type draftSavedMsg struct{ err error }

// quitNowMsg quits after the user agreed to leave modified files unsaved.
type quitNowMsg struct{}

// draftsDir keeps drafts next to the query history.
func draftsDir(historyDir string) string {
	if historyDir == "" {
		return ""
	}
	return filepath.Join(historyDir, "drafts")
}

func draftName(db string) string {
	if db == "" {
		return history.NoDatabase
	}
	return db
}

func (m *Model) draftsOn() bool { return m.drafts.Dir != "" }

// loadDraft reads db's stored tabs; the editor gets them when they arrive.
func (m *Model) loadDraft(db string) tea.Cmd {
	if !m.draftsOn() {
		return nil
	}
	name, store := draftName(db), m.drafts
	m.draft = draftState{db: name, gen: m.draft.gen}
	return func() tea.Msg {
		data, err := store.Load(name)
		return draftLoadedMsg{db: name, data: data, err: err}
	}
}

func (m *Model) onDraftLoaded(msg draftLoadedMsg) tea.Cmd {
	if msg.db != m.draft.db || m.draft.ready {
		return nil
	}
	m.draft.ready = true
	ep := m.editor.model()
	if msg.err != nil {
		m.setStatus("reading the saved draft: "+msg.err.Error(), true)
		return nil
	}
	if len(msg.data) > 0 {
		var s editor.Session
		if err := json.Unmarshal(msg.data, &s); err != nil {
			m.setStatus("the saved draft is damaged and was not restored: "+sanitize.Line(err.Error()), true)
			return nil
		}
		ep.Restore(s)
	}
	m.draft.seen = ep.Edits()
	return nil
}

// watchDraft schedules a save a little after the editor last changed.
func (m *Model) watchDraft() tea.Cmd {
	if !m.draft.ready {
		return nil
	}
	edits := m.editor.model().Edits()
	if edits == m.draft.seen {
		return nil
	}
	m.draft.seen = edits
	m.draft.gen++
	gen := m.draft.gen
	return tea.Tick(draftDelay, func(time.Time) tea.Msg { return draftTickMsg{gen: gen} })
}

func (m *Model) onDraftTick(msg draftTickMsg) tea.Cmd {
	if msg.gen != m.draft.gen {
		return nil
	}
	return m.saveDraft()
}

// saveDraft writes the editor's tabs for their database (an empty editor
// removes the file). The session is taken now; the write runs in the cmd.
func (m *Model) saveDraft() tea.Cmd {
	if !m.draftsOn() || !m.draft.ready {
		return nil
	}
	s := m.editor.model().Session()
	var data []byte
	if !s.Empty() {
		var err error
		if data, err = json.Marshal(s); err != nil {
			m.setStatus("saving the draft: "+err.Error(), true)
			return nil
		}
	}
	store, name := m.drafts, m.draft.db
	return func() tea.Msg { return draftSavedMsg{err: store.Save(name, data)} }
}

func (m *Model) onDraftSaved(msg draftSavedMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("saving the draft: "+msg.err.Error(), true)
	}
	return nil
}

// switchDrafts files the editor's tabs under the database being left and
// brings back those of db.
func (m *Model) switchDrafts(db string) tea.Cmd {
	if !m.draftsOn() {
		return nil
	}
	var save tea.Cmd
	if m.draft.ready {
		save = m.saveDraft()
		m.editor.model().Reset()
	}
	return tea.Batch(save, m.loadDraft(db))
}

// quit saves the draft and ends the program; with modified files open it
// asks first (a second quit key in that dialog quits).
func (m *Model) quit() tea.Cmd {
	files := m.editor.model().DirtyFiles()
	if len(files) > 0 && !(m.draft.asked && m.overlay == overlayDialog) {
		m.draft.asked = true
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = sanitize.Line(filepath.Base(f))
		}
		m.dialog = dialog.NewConfirm(m.c.Theme, m.c.Keys.Dialog, m.c.Keys.Global.Back, action.Confirm{
			Prompt: "Quit with unsaved changes?",
			Detail: fmt.Sprintf("Not saved to their files: %s.\nThe text is kept as a draft either way.", strings.Join(names, ", ")),
			OnYes:  quitNowMsg{},
		})
		m.overlay = overlayDialog
		return nil
	}
	return m.quitNow()
}

// quitNow saves the draft and ends the program.
func (m *Model) quitNow() tea.Cmd {
	save := m.saveDraft()
	if save == nil {
		return tea.Quit
	}
	// one command: the draft is on disk before the program ends
	return func() tea.Msg {
		if msg, _ := save().(draftSavedMsg); msg.err != nil {
			return msg // stay: the status bar says why the draft was not saved
		}
		return tea.QuitMsg{}
	}
}
