package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/viewtest"
)

// newDraftModel is a root model over the fake gateway keeping history and
// drafts in dir, with demo current.
func newDraftModel(t *testing.T, dir string) *Model {
	t.Helper()
	m := New(newFake(), Options{Theme: "dark", Now: func() time.Time { return fixedNow }, Refresh: time.Hour,
		HistoryDir: dir, Database: "demo"})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	run(m, m.Init())
	return m
}

// quitCmd presses a key and runs what it returns until the program quits;
// it reports whether it did.
func quits(m *Model, k tea.KeyPressMsg) bool {
	_, cmd := m.Update(k)
	for range 5 {
		msg := viewtest.RunCmd(cmd, 2*time.Second)
		switch msg := msg.(type) {
		case tea.QuitMsg:
			return true
		case tea.BatchMsg:
			for _, c := range msg {
				if _, ok := viewtest.RunCmd(c, 2*time.Second).(tea.QuitMsg); ok {
					return true
				}
			}
			return false
		case nil:
			return false
		default:
			_, cmd = m.Update(msg)
		}
	}
	return false
}

func TestDraftSurvivesQuitAndRestart(t *testing.T) {
	dir := t.TempDir()
	m := newDraftModel(t, dir)
	press(m, kp("alt+4"))
	typeText(m, "SELECT 1;")
	press(m, kp("enter"))
	typeText(m, "SELECT 'two'")
	press(m, kp("left"), kp("left"), ctrl('t'))
	typeText(m, "-- tab two")
	press(m, kp("alt+p"))
	if !quits(m, ctrl('c')) {
		t.Fatal("ctrl+c did not quit")
	}
	if _, err := os.Stat(filepath.Join(dir, "drafts", "demo.draft.json")); err != nil {
		t.Fatalf("no draft file after quit: %v", err)
	}

	r := newDraftModel(t, dir)
	ep := r.editor.model()
	if ep.Tabs() != 2 || ep.Active() != 0 || r.EditorText() != "SELECT 1;\nSELECT 'two'" {
		t.Fatalf("restored %d tabs, active %d, text %q", ep.Tabs(), ep.Active(), r.EditorText())
	}
	if l, c := ep.Cursor(); l != 1 || c != len("SELECT 'tw") {
		t.Fatalf("restored cursor %d:%d", l, c)
	}
	press(r, kp("alt+4"), kp("alt+n"))
	if r.EditorText() != "-- tab two" {
		t.Fatalf("second tab %q", r.EditorText())
	}
}

func TestDraftIsWrittenAfterTypingStops(t *testing.T) {
	dir := t.TempDir()
	m := newDraftModel(t, dir)
	press(m, kp("alt+4"))
	path := filepath.Join(dir, "drafts", "demo.draft.json")
	var ticks []tea.Cmd
	for _, k := range viewtest.Typed("SELECT 42") {
		_, cmd := m.Update(k)
		ticks = append(ticks, cmd)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the draft was written while typing (no I/O in Update)")
	}
	// only the tick of the last key saves: earlier ones are superseded
	if got := m.onDraftTick(draftTickMsg{gen: m.draft.gen - 1}); got != nil {
		t.Fatal("a superseded tick saves")
	}
	save := m.onDraftTick(draftTickMsg{gen: m.draft.gen})
	if save == nil {
		t.Fatal("the last tick does not save")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the draft was written before its command ran")
	}
	m.Update(save())
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"text":"SELECT 42"`) {
		t.Fatalf("draft on disk: %s %v", data, err)
	}
	// a crash now loses nothing: a fresh start brings the text back
	if r := newDraftModel(t, dir); r.EditorText() != "SELECT 42" {
		t.Fatalf("after a crash: %q", r.EditorText())
	}
}

func TestQuitAsksForModifiedFiles(t *testing.T) {
	dir := t.TempDir()
	m := newDraftModel(t, dir)
	file := filepath.Join(dir, "q.sql")
	if err := os.WriteFile(file, []byte("SELECT 1"), 0o600); err != nil {
		t.Fatal(err)
	}
	press(m, kp("alt+4"))
	m.editor.model().SetText("SELECT 1")
	m.editor.model().SetPath(file)
	typeText(m, " + 1")
	if quits(m, ctrl('c')) {
		t.Fatal("quit without asking about the modified file")
	}
	if m.overlay != overlayDialog || !strings.Contains(m.Render(), "Quit with unsaved changes?") || !strings.Contains(m.Render(), "q.sql") {
		t.Fatalf("no question:\n%s", m.Render())
	}
	press(m, kp("n"))
	if m.overlay != overlayNone {
		t.Fatal("n did not close the question")
	}
	press(m, kp("esc"))
	if quits(m, kp("q")) {
		t.Fatal("q quit without asking")
	}
	if !quits(m, kp("y")) {
		t.Fatal("y did not quit")
	}
	if data, _ := os.ReadFile(file); string(data) != "SELECT 1" {
		t.Fatalf("quitting wrote the file: %q", data)
	}
	r := newDraftModel(t, dir)
	if r.EditorText() != "SELECT 1 + 1" || r.editor.model().Path() != file || !r.editor.model().Dirty() {
		t.Fatalf("modified file buffer after restart: %q %q dirty %v", r.EditorText(), r.editor.model().Path(), r.editor.model().Dirty())
	}
}

func TestDraftsFollowTheDatabase(t *testing.T) {
	dir := t.TempDir()
	m := newDraftModel(t, dir)
	press(m, kp("alt+4"))
	typeText(m, "SELECT 'demo'")
	run(m, m.selectDatabase("analytics"))
	if m.EditorText() != "" {
		t.Fatalf("analytics starts with %q", m.EditorText())
	}
	typeText(m, "SELECT 'analytics'")
	run(m, m.selectDatabase("demo"))
	if m.EditorText() != "SELECT 'demo'" {
		t.Fatalf("back on demo: %q", m.EditorText())
	}
	run(m, m.selectDatabase("analytics"))
	if m.EditorText() != "SELECT 'analytics'" {
		t.Fatalf("back on analytics: %q", m.EditorText())
	}
}
