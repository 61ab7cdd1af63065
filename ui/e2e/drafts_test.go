package e2e

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/dbforge/dbforge/ui"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// TestDraftRestoredAfterRestart types in two tabs, quits with ctrl+c, and
// starts the program again on the same history folder: the text, the tabs
// and the cursor are back.
func TestDraftRestoredAfterRestart(t *testing.T) {
	hist := t.TempDir()
	startProgram := func() (*teatest.TestModel, *screens) {
		api := testgw.Start(t, t.TempDir())
		m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", SeedDemo: true, Refresh: time.Hour, HistoryDir: hist})
		scr := &screens{}
		tm := teatest.NewTestModel(t, probe{m: m, rec: scr}, teatest.WithInitialTermSize(120, 40))
		t.Cleanup(func() { _ = tm.Quit() })
		scr.wait(t, "created the demo database")
		return tm, scr
	}

	tm, scr := startProgram()
	tm.Type("4")
	tm.Type("SELECT name FROM customers")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("WHERE id = 7")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyLeft}, tea.KeyPressMsg{Code: tea.KeyLeft})
	keys(tm, tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl})
	tm.Type("SELECT 2")
	keys(tm, tea.KeyPressMsg{Code: 'p', Mod: tea.ModAlt})
	scr.wait(t, "Editor · tab 1/2 · 2:11")
	keys(tm, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	tm, scr = startProgram()
	scr.wait(t, "Editor · tab 1/2 · 2:11", "WHERE id = 7")
	keys(tm, tea.KeyPressMsg{Code: '4', Mod: tea.ModAlt}, tea.KeyPressMsg{Code: 'n', Mod: tea.ModAlt})
	scr.wait(t, "Editor · tab 2/2 · 1:9")
	keys(tm, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(probe).m
	if got := final.EditorText(); got != "SELECT 2" {
		t.Fatalf("second tab after restart: %q", got)
	}
	if strings.Contains(scr.current(), "draft") {
		t.Fatalf("a draft error was shown:\n%s", scr.current())
	}
}
