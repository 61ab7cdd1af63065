package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/views/action"
)

// pathTree makes files, directories, a hidden file, a symlink to a
// directory and a name holding an escape sequence.
func pathTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"sales_2023.csv", "sales_2024.csv", ".secret.sql", "evil\x1b[31m.csv", "eve.csv", "scripts/q.sql"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "scripts"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func names(a action.PathCompletions) string {
	var out []string
	for _, e := range a.Entries {
		n := e.Name
		if e.Dir {
			n += "/"
		}
		out = append(out, n)
	}
	return strings.Join(out, " ")
}

func TestListCompletions(t *testing.T) {
	dir := pathTree(t)
	t.Setenv("HOME", dir)
	for _, tc := range []struct {
		input, want, err string
	}{
		{dir + "/s", "sales_2023.csv sales_2024.csv scripts/", ""},
		{dir + "/", "eve.csv evil\x1b[31m.csv link/ sales_2023.csv sales_2024.csv scripts/", ""},
		{dir + "/.", ".secret.sql", ""},
		{dir + "/scripts/", "q.sql", ""},
		{dir + "/li", "link/", ""},
		{dir + "/zzz", "", ""},
		{"~/sa", "sales_2023.csv sales_2024.csv", ""},
		{"~", "~/", ""},
		{dir + "/nope/x", "", "no directory " + dir + "/nope/"},
		{dir + "/eve.csv/x", "", "cannot read " + dir + "/eve.csv/: not a directory"},
	} {
		got := listCompletions(action.CompletePath{ID: "p", Seq: 3, Input: tc.input})
		if got.ID != "p" || got.Seq != 3 || got.Input != tc.input {
			t.Fatalf("%q: answer not addressed to the request: %+v", tc.input, got)
		}
		if names(got) != tc.want || got.Total != len(got.Entries) {
			t.Errorf("%q: got %q (total %d), want %q", tc.input, names(got), got.Total, tc.want)
		}
		if (got.Err == nil) != (tc.err == "") || got.Err != nil && got.Err.Error() != tc.err {
			t.Errorf("%q: error %v, want %q", tc.input, got.Err, tc.err)
		}
	}
	t.Chdir(dir)
	if got := listCompletions(action.CompletePath{Input: "sc"}); names(got) != "scripts/" {
		t.Errorf("relative path: %q", names(got))
	}
}

// TestPathCompletionInPrompts drives the editor's open prompt and the
// results pane's export prompt through the root: tab, the command that
// reads the directory, and the completed text.
func TestPathCompletionInPrompts(t *testing.T) {
	dir := pathTree(t)
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("4"), ctrl('o'))
	if m.overlay != overlayDialog {
		t.Fatal("ctrl+o opened no prompt")
	}
	paste(m, dir+"/sc")
	press(m, kp("tab"))
	if got := m.dialog.Value(); got != dir+"/scripts/" {
		t.Fatalf("one directory: %q", got)
	}
	press(m, kp("tab"))
	if got := m.dialog.Value(); got != dir+"/scripts/q.sql" {
		t.Fatalf("inside the directory: %q", got)
	}

	press(m, kp("esc"), ctrl('o'))
	paste(m, dir+"/sa")
	press(m, kp("tab"))
	screen := ansi.Strip(m.Render())
	if got := m.dialog.Value(); got != dir+"/sales_202" || !strings.Contains(screen, "sales_2023.csv  sales_2024.csv") {
		t.Fatalf("common prefix: %q\n%s", got, screen)
	}
	press(m, kp("tab"), kp("tab"))
	if got := m.dialog.Value(); got != dir+"/sales_2024.csv" {
		t.Fatalf("cycling: %q", got)
	}

	press(m, kp("esc"), ctrl('o'))
	paste(m, dir+"/ev")
	press(m, kp("tab"))
	raw := m.Render()
	if strings.Contains(raw, "\x1b[31m.csv") || !strings.Contains(ansi.Strip(raw), "evil␛[31m.csv") {
		t.Fatalf("escape sequence in a file name not shown safely:\n%s", ansi.Strip(raw))
	}
	press(m, kp("tab"))
	if got := m.dialog.Value(); got != dir+"/eve.csv" {
		t.Fatalf("cycling past an untypable name: %q", got)
	}
}

// paste sends text as one paste (quicker than a key per rune).
func paste(m *Model, s string) {
	_, cmd := m.Update(tea.PasteMsg{Content: s})
	run(m, cmd)
}

func TestOutdatedCompletionIsDropped(t *testing.T) {
	dir := pathTree(t)
	m := newTestModel(t, newFake(), 120, 40)
	run(m, m.Init())
	press(m, kp("4"), ctrl('o'))
	paste(m, dir+"/sc")
	_, cmd := m.Update(kp("tab"))
	typeText(m, "x") // typed on before the answer came
	run(m, cmd)
	if got := m.dialog.Value(); got != dir+"/scx" {
		t.Fatalf("an answer for an older text was applied: %q", got)
	}
}
