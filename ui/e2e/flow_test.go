// Package e2e drives the whole TUI program (teatest) against the real
// gateway on a temporary data directory.
package e2e

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/ui"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// start runs the program on a fresh data directory, as a first run would.
func start(t *testing.T) (*teatest.TestModel, *screens, *client.Client) {
	t.Helper()
	api := testgw.Start(t, t.TempDir())
	m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", SeedDemo: true, Refresh: 300 * time.Millisecond})
	rec := &screens{}
	tm := teatest.NewTestModel(t, probe{m: m, rec: rec}, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm, rec, api
}

func keys(tm *teatest.TestModel, ks ...tea.KeyPressMsg) {
	for _, k := range ks {
		tm.Send(k)
	}
}

func TestSpawnSeeHealthPruneQuit(t *testing.T) {
	tm, scr, api := start(t)
	scr.wait(t, "created the demo database", "embedded gateway · this process only", "Health · demo", "queries/s")

	tm.Type("n")
	scr.wait(t, "New database")
	tm.Type("sales")
	keys(tm, tea.KeyPressMsg{Code: tea.KeyEnter})
	scr.wait(t, "spawned successfully", "Health · sales", "sales running")

	tm.Type("p")
	scr.wait(t, `Prune "sales"?`)
	tm.Type("y")
	scr.wait(t, "pruned successfully")

	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if final := tm.FinalModel(t).(probe).m; final.Current() != "" { // the pruned current database is let go
		t.Fatalf("current = %q", final.Current())
	}
	list, err := api.ListDatabases(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, d := range list {
		states[d.Name] = d.Status
	}
	if states["demo"] != "running" || states["sales"] != "stopped" {
		t.Fatalf("databases after the flow: %v", states)
	}
}

// TestDemoTapeReplays plays demo.tape's key presses against the program, so
// the recorded demo cannot drift from the UI.
func TestDemoTapeReplays(t *testing.T) {
	steps, err := parseTape("../../demo.tape")
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 10 {
		t.Fatalf("tape parsed into %d steps", len(steps))
	}
	tm, scr, api := start(t)
	scr.wait(t, "Health · demo")
	for _, st := range steps {
		for _, k := range st.keys {
			tm.Send(k)
		}
		if st.sleep > 0 {
			time.Sleep(min(st.sleep/4, 750*time.Millisecond))
		}
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	for _, want := range []string{
		"Keys · Databases", "New database", "Health · sales", "customer_id", "FROM customers c JOIN",
		"col 2 of 2", "bar · orders by country", "[Plan]", "SCAN", `Prune "sales"?`, "pruned successfully",
		"GROUP BY c.country ORDER BY orders DESC", // edited after the first run, then run again
	} {
		if !scr.ever(want) {
			if testing.Verbose() {
				for _, sc := range scr.all {
					t.Log("\n" + sc)
				}
			}
			t.Errorf("the tape never showed %q", want)
		}
	}
	// what the recording shows must never be an error: no status shown as
	// an error, and no error words in the status bar of any screen
	for _, e := range scr.errors {
		t.Errorf("the tape shows an error: %s", e)
	}
	for _, sc := range scr.all {
		lines := strings.Split(strings.TrimRight(sc, "\n"), "\n")
		status := strings.ToLower(lines[len(lines)-1])
		for _, bad := range []string{"error", "failed", "not found", "unknown", "refused"} {
			if strings.Contains(status, bad) {
				t.Errorf("the tape shows %q in the status bar: %s", bad, lines[len(lines)-1])
				break
			}
		}
	}
	list, err := api.ListDatabases(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		if d.Name == "sales" && d.Status != "stopped" {
			t.Errorf("sales is %s at the end of the tape, want stopped", d.Status)
		}
	}
	if m := tm.FinalModel(t).(probe).m; m.Current() != "demo" {
		t.Errorf("current database at the end = %q, want demo", m.Current())
	}
}

func TestParseTapeRejectsUnknownCommands(t *testing.T) {
	if _, err := parseStep("Teleport", ""); err == nil {
		t.Fatal("unknown command accepted")
	}
	st, err := parseStep("Ctrl+C", "")
	if err != nil || len(st.keys) != 1 || st.keys[0].Mod != tea.ModCtrl || st.keys[0].Code != 'c' {
		t.Fatalf("Ctrl+C parsed as %#v, %v", st, err)
	}
	st, err = parseStep("Alt+5", "")
	if err != nil || len(st.keys) != 1 || st.keys[0].Mod != tea.ModAlt || st.keys[0].Code != '5' {
		t.Fatalf("Alt+5 parsed as %#v, %v", st, err)
	}
	st, err = parseStep("Down", "3")
	if err != nil || len(st.keys) != 3 {
		t.Fatalf("Down 3 parsed as %#v, %v", st, err)
	}
}

// TestDemoTapeRunsTheBuiltBinary checks what the replay cannot see: the
// shell side of make demo. The tape launches "dbforge" and requires it on
// PATH, and the Makefile's demo target puts the freshly built ./dbforge
// first on PATH with a temporary data directory; nothing is hard-coded
// under /tmp. A tape typing a command the shell cannot find would record
// "command not found" and still exit 0.
func TestDemoTapeRunsTheBuiltBinary(t *testing.T) {
	tape, err := os.ReadFile("../../demo.tape")
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(tape)
	if strings.Contains(text, "/tmp") {
		t.Error("demo.tape hard-codes a /tmp path")
	}
	if !strings.Contains(text, "\nRequire dbforge\n") || !strings.Contains(text, "\nType \"dbforge\"\n") {
		t.Error("demo.tape must Require dbforge and launch it as dbforge")
	}
	var recipe []string
	in := false
	for _, line := range strings.Split(string(mk), "\n") {
		switch {
		case strings.HasPrefix(line, "demo:"):
			in = true
			recipe = append(recipe, line)
		case in && strings.HasPrefix(line, "\t"):
			recipe = append(recipe, line)
		case in:
			in = false
		}
	}
	demo := strings.Join(recipe, "\n")
	for _, want := range []string{"build", "mktemp -d", `PATH="$(CURDIR):$$PATH"`, "DBFORGE_DATA=", "XDG_CONFIG_HOME=", "vhs demo.tape"} {
		if !strings.Contains(demo, want) {
			t.Errorf("make demo lacks %q:\n%s", want, demo)
		}
	}
}
