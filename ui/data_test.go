package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

func peopleSetup() []string {
	return []string{
		"CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT)",
		"INSERT INTO people (name, city) VALUES ('Ada', 'London'), ('Grace', 'New York'), ('Linus', 'Helsinki')",
	}
}

// runInEditor replaces the editor's text with sql and presses run.
func (l *live) runInEditor(sql string, run tea.KeyPressMsg) {
	l.press(kp("alt+4"))
	l.m.editor.model().SetText(sql)
	l.press(run)
}

func (l *live) waitGrid(what string, cond func() bool) {
	l.t.Helper()
	l.until(what, func() bool {
		g := l.m.grid.model()
		return g.QueryID() != 0 && !strings.Contains(g.Title(), "running") && cond()
	})
}

func TestRunQueryFromEditorShowsRowsAndFilesHistory(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	before := l.api.count()
	l.press(kp("4"))
	l.typeText("SELECT name, city FROM people ORDER BY id")
	l.press(ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Grace") })

	if l.m.Focused() != "Editor" || l.m.results.activeName() != tabResults {
		t.Fatalf("focus %s, tab %s after a run; want Editor, Results", l.m.Focused(), l.m.results.activeName())
	}
	// keep typing: the keys land in the editor, none reach the grid (e would export)
	l.typeText(" e")
	if got := l.m.editor.model().Text(); got != "SELECT name, city FROM people ORDER BY id e" {
		t.Fatalf("typing after a run: editor %q", got)
	}
	if l.m.overlay != overlayNone {
		t.Fatal("a key typed after the run opened a prompt")
	}
	l.press(kp("backspace"), kp("backspace"))
	// one key moves to the answer
	l.press(kp("alt+5"))
	if l.m.Focused() != "Results" {
		t.Fatalf("alt+5 focus = %s", l.m.Focused())
	}
	qs := l.api.since(before)
	if len(qs) == 0 || qs[0].SQL != "SELECT name, city FROM people ORDER BY id" || qs[0].Limit != 200 || qs[0].Shape != "rows" {
		t.Fatalf("queries sent: %+v", qs)
	}
	if title := l.m.grid.model().Title(); !strings.Contains(title, "3 rows") {
		t.Fatalf("title %q", title)
	}
	// the run is in the history: ctrl+up in a cleared editor brings it back
	l.press(kp("4"))
	l.m.editor.model().SetText("")
	l.press(tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModCtrl})
	if got := l.m.editor.model().Text(); got != "SELECT name, city FROM people ORDER BY id" {
		t.Fatalf("history walk gave %q", got)
	}
}

func TestSQLErrorShowsSQLitesMessage(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT * FROM nowhere", ctrl('r'))
	l.waitGrid("the error", func() bool { return strings.Contains(l.m.grid.model().Title(), "error") })
	screen := l.screen()
	if !strings.Contains(screen, "no such table: nowhere") || strings.Contains(screen, "dbforge: 400") {
		t.Fatalf("error not shown in SQLite's words:\n%s", screen)
	}
	if s, isErr := l.m.Status(); !isErr || s == "" {
		t.Fatalf("status %q, error %v", s, isErr)
	}
}

func TestWriteRefreshesSchemaAndShowsRowsAffected(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("CREATE TABLE fresh (x INTEGER)", ctrl('r'))
	l.until("the new table in the schema", func() bool {
		s := l.m.tree.model().Schema()
		return s != nil && len(s.Tables) == 2
	})
	l.runInEditor("INSERT INTO fresh VALUES (1), (2)", ctrl('r'))
	l.waitGrid("rows affected", func() bool { return strings.Contains(l.screen(), "2 rows affected") })
	l.until("the row count", func() bool { return strings.Contains(l.screen(), "fresh") })
}

func TestScriptStopsAtFirstErrorNamingStatementAndLine(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("INSERT INTO people (name) VALUES ('a');\n\nSELECT * FROM nope;\nINSERT INTO people (name) VALUES ('b');", tea.KeyPressMsg{Code: tea.KeyF6})
	l.waitGrid("the script's error", func() bool { return strings.Contains(l.m.grid.model().Title(), "error") })
	screen := l.screen()
	for _, want := range []string{"statement 2 of 3 (line 3)", "no such table: nope", "SELECT * FROM nope"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("missing %q:\n%s", want, screen)
		}
	}
	res, err := l.api.Client.Query(context.Background(), "shop", client.QueryRequest{SQL: "SELECT group_concat(name) FROM people WHERE name IN ('a','b')"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows); got != "[[a]]" {
		t.Fatalf("statements run: %s, want only the first", got)
	}
}

func TestPreviewQuotesTableNames(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", `CREATE TABLE "we""ird" (v TEXT)`, `INSERT INTO "we""ird" VALUES ('inside')`)
	before := l.api.count()
	l.press(kp("2"), kp("enter"))
	l.waitGrid("the preview", func() bool { return strings.Contains(l.screen(), "inside") })
	qs := l.api.since(before)
	if len(qs) == 0 || !strings.Contains(qs[0].SQL, `FROM "we""ird"`) {
		t.Fatalf("preview ran %+v", qs)
	}
	if !strings.Contains(l.status(), `we"ird`) {
		t.Fatalf("status %q", l.status())
	}
}

func TestSchemaInsertGoesToEditor(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.press(kp("2"), kp("s"))
	l.drain()
	if l.m.Focused() != "Editor" || !strings.Contains(l.m.editor.model().Text(), `SELECT * FROM "people"`) {
		t.Fatalf("focus %s, editor %q", l.m.Focused(), l.m.editor.model().Text())
	}
}

func TestExplainShowsPlanTab(t *testing.T) {
	l := startLive(t, 80, 24, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT * FROM people WHERE city = 'London'", kp("f7"))
	l.until("the plan", func() bool { return l.m.plan.model().FullScans() == 1 })
	if l.m.Focused() != "Editor" {
		t.Fatalf("explain moved focus to %s", l.m.Focused())
	}
	l.press(kp("alt+5"))
	if !strings.Contains(l.screen(), "SCAN people") || l.m.Focused() != "Results" || l.m.results.activeName() != tabPlan || l.m.plan.model().FullScans() != 1 {
		t.Fatalf("focus %s, tab %s, scans %d", l.m.Focused(), l.m.results.activeName(), l.m.plan.model().FullScans())
	}
}

func TestChartFollowsResult(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT city, count(*) AS n FROM people GROUP BY city", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Helsinki") })
	l.press(kp("alt+5"), kp("]"))
	l.drain() // the grid's results.Shown reaches the chart as a message
	if l.m.results.activeName() != tabChart || !strings.Contains(l.screen(), "n by city") {
		t.Fatalf("chart not drawn:\n%s", l.screen())
	}
}

func TestCopyRowSetsClipboard(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT name, city FROM people ORDER BY id", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Ada") })
	l.press(kp("alt+5"))
	_, cmd := l.m.Update(kp("Y"))
	copyMsg := cmd()
	_, clip := l.m.Update(copyMsg)
	if clip == nil {
		t.Fatal("no clipboard command")
	}
	if got := fmt.Sprint(clip()); got != "Ada\tLondon" {
		t.Fatalf("clipboard got %q", got)
	}
	if l.status() != "copied row" {
		t.Fatalf("status %q", l.status())
	}
}

func TestExportWritesCSV(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT name, city FROM people ORDER BY id", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Ada") })
	path := filepath.Join(t.TempDir(), "people.csv")
	l.press(kp("alt+5"), kp("e"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	l.typeText(path)
	l.press(kp("enter"))
	l.until("the export", func() bool { return strings.HasPrefix(l.status(), "exported") })
	if want := "exported 3 rows to " + path + " (55 B)"; l.status() != want {
		t.Fatalf("status %q, want %q", l.status(), want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// the query export's CSV: RFC 4180, as `dbforge export` writes it
	if want := "name,city\r\nAda,London\r\nGrace,New York\r\nLinus,Helsinki\r\n"; string(data) != want {
		t.Fatalf("file:\n%s", data)
	}
}

func TestDestructiveStatementConfirmsFirst(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	before := l.api.count()
	l.runInEditor("DROP TABLE people", ctrl('r'))
	l.drain()
	if l.m.overlay != overlayDialog || len(l.api.since(before)) != 0 {
		t.Fatalf("no confirmation before DROP (overlay %v, queries %d)", l.m.overlay, len(l.api.since(before)))
	}
	l.press(kp("y"))
	l.until("the table to go", func() bool {
		s := l.m.tree.model().Schema()
		return s != nil && len(s.Tables) == 0
	})
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	l := startLive(t, 120, 40, Options{ReadOnly: true}, "shop", peopleSetup()...)
	before := l.api.count()
	l.runInEditor("DELETE FROM people WHERE id = 1", ctrl('r'))
	l.drain()
	if !strings.Contains(l.status(), "read-only") {
		t.Fatalf("editor did not refuse: %q", l.status())
	}
	l.send(action.RunQuery{SQL: "UPDATE people SET name = 'x' WHERE id = 1", Source: "elsewhere"})
	l.drain()
	if !strings.Contains(l.status(), "read-only") || len(l.api.since(before)) != 0 {
		t.Fatalf("root ran a write in read-only mode: %q, %+v", l.status(), l.api.since(before))
	}
	l.runInEditor("SELECT count(*) FROM people", ctrl('r'))
	l.waitGrid("a read", func() bool { return strings.Contains(l.m.grid.model().Title(), "1 row") })
}

func TestDatabaseSwitchEveryPaneFollows(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	if _, err := l.api.Client.Spawn(context.Background(), "other"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.api.Client.Query(context.Background(), "other", client.QueryRequest{SQL: "CREATE TABLE elsewhere (x)"}); err != nil {
		t.Fatal(err)
	}
	l.runInEditor("SELECT name FROM people", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Grace") })

	l.send(action.SelectDatabase{Name: "other"})
	l.until("the other schema", func() bool {
		s := l.m.tree.model().Schema()
		return s != nil && len(s.Tables) == 1 && s.Tables[0].Name == "elsewhere"
	})
	if l.m.grid.model().QueryID() != 0 || strings.Contains(l.screen(), "Grace") {
		t.Fatalf("the old result stayed:\n%s", l.screen())
	}
	l.press(kp("4"), tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModCtrl})
	l.drain()
	if !strings.Contains(l.status(), "no history") {
		t.Fatalf("history of the other database leaked: %q / %q", l.m.editor.model().Text(), l.status())
	}
	l.send(action.SelectDatabase{Name: "shop"})
	l.until("shop's schema", func() bool {
		s := l.m.tree.model().Schema()
		return s != nil && len(s.Tables) == 1 && s.Tables[0].Name == "people"
	})
	l.m.editor.model().SetText("")
	l.press(tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModCtrl})
	if got := l.m.editor.model().Text(); got != "SELECT name FROM people" {
		t.Fatalf("shop's history: %q", got)
	}
}

func TestStaleQueryAnswersAreDropped(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT 'first' AS v", ctrl('r'))
	l.waitGrid("the first result", func() bool { return strings.Contains(l.gridText(), "first") })
	oldID := l.m.grid.model().QueryID()
	l.runInEditor("SELECT 'second' AS v", ctrl('r'))
	l.waitGrid("the second result", func() bool { return strings.Contains(l.gridText(), "second") })
	// a late answer of the first statement, and a late page of it
	l.m.Update(queryMsg{id: oldID, db: "shop", sql: "SELECT 'first'", res: &client.QueryResult{
		Columns: []client.Column{{Name: "v"}}, Rows: [][]any{{"late"}}}})
	l.m.Update(pageMsg{queryID: oldID, rows: [][]any{{"late page"}}})
	if grid := l.gridText(); strings.Contains(grid, "late") || !strings.Contains(grid, "second") {
		t.Fatalf("a stale answer was shown:\n%s", grid)
	}
}

func TestOpenAndSaveSQLFiles(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	path := filepath.Join(t.TempDir(), "q.sql")
	l.send(action.SaveFile{Path: path, Text: "SELECT 42;\n"})
	l.until("the save", func() bool { return strings.HasPrefix(l.status(), "saved") })
	if data, err := os.ReadFile(path); err != nil || string(data) != "SELECT 42;\n" {
		t.Fatalf("saved %q, %v", data, err)
	}
	l.m.editor.model().SetText("")
	l.send(action.OpenFile{Path: path})
	l.until("the open", func() bool { return strings.HasPrefix(l.status(), "opened") })
	if got := l.m.editor.model().Text(); got != "SELECT 42;\n" || l.m.editor.model().Path() != path {
		t.Fatalf("editor holds %q from %q", got, l.m.editor.model().Path())
	}
	l.send(action.OpenFile{Path: filepath.Join(t.TempDir(), "missing.sql")})
	l.until("the error", func() bool { s, isErr := l.m.Status(); return isErr && strings.HasPrefix(s, "opening") })
}

func TestHistoryPersistsAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	l := startLive(t, 120, 40, Options{HistoryDir: dir}, "shop", peopleSetup()...)
	l.runInEditor("SELECT id FROM people", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.m.grid.model().Title(), "3 rows") })
	l.until("the history file", func() bool {
		data, err := os.ReadFile(filepath.Join(dir, "shop.jsonl"))
		return err == nil && strings.Contains(string(data), "SELECT id FROM people")
	})

	again := New(l.api, Options{HistoryDir: dir, Database: "shop", Theme: "dark", Refresh: 1 << 62})
	again.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	l.m = again
	l.exec(again.Init())
	l.until("the history", func() bool {
		ed := l.m.editor.model()
		ed.SetText("")
		ed.Focus()
		*ed, _ = ed.Update(tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModCtrl})
		return ed.Text() == "SELECT id FROM people"
	})
}

// TestSQLErrorMarksTheToken: the error names a column; the message says
// where it is and the editor's cursor is moved there.
func TestSQLErrorMarksTheToken(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT 1;\n\nSELECT name,\n       nope\nFROM people", ctrl('r'))
	l.press(kp("ctrl+end"), ctrl('r'))
	l.until("the error", func() bool { return strings.Contains(l.status(), "failed") })
	if want := "the statement failed · at line 4:8"; l.status() != want {
		t.Fatalf("status %q, want %q", l.status(), want)
	}
	if g := l.gridText(); !strings.Contains(g, "no such column: nope · at line 4:8") {
		t.Fatalf("grid:\n%s", g)
	}
	if line, col := l.m.editor.model().Cursor(); line != 3 || col != 7 {
		t.Fatalf("cursor %d:%d, want 3:7", line, col)
	}
	if l.m.Focused() != "Editor" {
		t.Fatalf("focus %s", l.m.Focused())
	}
	// a script: the failing statement's token, lines counted in the buffer
	l.m.editor.model().SetText("SELECT 1;\nSELECT * FROM nowhere;")
	l.press(kp("f6"))
	l.until("the script error", func() bool { return strings.Contains(l.status(), "statement 2 (line 2) failed") })
	if g := l.gridText(); !strings.Contains(strings.Join(strings.Fields(g), " "), "no such table: nowhere · at line 2:15") {
		t.Fatalf("grid:\n%s", g)
	}
}

// TestPruneOrDeleteOfCurrentDatabaseLeavesNoneSelected: every pane lets go
// of it, the status bar says so, and running a statement asks for a
// database instead of hitting the pruned one.
func TestPruneOrDeleteOfCurrentDatabaseLeavesNoneSelected(t *testing.T) {
	for _, verb := range []string{"prune", "delete"} {
		l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
		if _, err := l.api.Client.Spawn(context.Background(), "other"); err != nil {
			t.Fatal(err)
		}
		l.runInEditor("SELECT name FROM people", ctrl('r'))
		l.waitGrid("the result", func() bool { return strings.Contains(l.gridText(), "Ada") })
		if verb == "prune" {
			l.send(action.PruneDatabase{Name: "shop"})
		} else {
			l.send(action.DeleteDatabase{Name: "shop"})
		}
		l.until("the "+verb, func() bool { return strings.Contains(l.status(), "no database selected now") })
		l.drain()
		if l.m.Current() != "" {
			t.Fatalf("%s: current = %q", verb, l.m.Current())
		}
		screen := l.screen()
		for _, stale := range []string{"Health · shop", "Ada", "│ shop │", "loading schema"} {
			if strings.Contains(screen, stale) {
				t.Errorf("%s: the screen still shows %q:\n%s", verb, stale, screen)
			}
		}
		if !strings.Contains(l.m.tree.view(), "no database selected") || !strings.Contains(l.m.health.view(), "no database selected") ||
			!strings.Contains(l.status(), "pick one in Databases (1)") {
			t.Errorf("%s: screen does not say no database is selected; status %q\n%s", verb, l.status(), screen)
		}
		before := l.api.count()
		l.runInEditor("SELECT 1", ctrl('r'))
		l.drain()
		if l.api.count() != before || !strings.Contains(l.status(), "no database selected") {
			t.Errorf("%s: a run after the %s sent %d queries, status %q", verb, verb, l.api.count()-before, l.status())
		}
	}
}
