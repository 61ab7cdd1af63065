package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/ui"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// TestMillionRowResultFlow is the whole program over a 1,000,000-row
// result at 120×40: sort descending and filter on the whole result, copy a
// range, then export it from Results and cancel with ctrl+x, leaving
// nothing on disk.
func TestMillionRowResultFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	api := testgw.Start(t, t.TempDir())
	ctx := context.Background()
	if _, err := api.Spawn(ctx, "big"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Query(ctx, "big", client.QueryRequest{SQL: `CREATE TABLE big AS WITH RECURSIVE c(x) AS
		(SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000000) SELECT x, x*1.5 AS r, 'row '||x AS t FROM c`}); err != nil {
		t.Fatal(err)
	}
	m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", Database: "big", Refresh: time.Hour, Timeout: time.Minute})
	scr := &screens{}
	tm := teatest.NewTestModel(t, probe{m: m, rec: scr}, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	scr.wait(t, "Schema · 1 table")

	tm.Type("4")
	tm.Type("SELECT * FROM big")
	keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	scr.wait(t, "200+ rows", "row 1 ")

	keys(tm, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
	tm.Type("lss")
	scr.wait(t, "sorted by r ↓", "1500000.0", "row 1000000")
	tm.Type("/99999")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "35 of 1,000,000 rows", "row 999999")

	tm.Type("vjly")
	scr.wait(t, "copied 2×2 cells (TSV)")
	tm.Type("v/")
	keys(tm, tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "Results] Chart Plan · 1,000,000 rows · sorted by r ↓")

	dir := t.TempDir()
	tm.Type("e")
	scr.wait(t, "export to:")
	keys(tm, tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	tm.Type(filepath.Join(dir, "big.csv"))
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "exporting ", "of 1,000,000 rows · ctrl+x cancels")
	keys(tm, tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl})
	scr.wait(t, "cancelled; nothing was kept")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left on disk: %v", entries)
	}
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
