package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestManPagesForEveryCommand generates the pages and checks one exists
// for every command a user can run, naming that command.
func TestManPagesForEveryCommand(t *testing.T) {
	isolateEnv(t)
	dir := filepath.Join(t.TempDir(), "man")
	mustRun(t, "man", dir)

	root := newRootCmd(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	root.InitDefaultCompletionCmd()
	var cmds []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		cmds = append(cmds, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	groff, _ := exec.LookPath("groff") // renders the pages when installed
	if len(cmds) < 25 {
		t.Fatalf("only %d commands found", len(cmds))
	}
	for _, c := range cmds {
		name := strings.ReplaceAll(c.CommandPath(), " ", "-")
		page, err := os.ReadFile(filepath.Join(dir, name+".1"))
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
			continue
		}
		text := string(page)
		named := strings.Contains(text, ".SH NAME\n"+roffEscape(name)+` \- `+roffEscape(c.Short)+"\n")
		if !strings.Contains(text, `.TH "DBFORGE" "1"`) || !named || !strings.Contains(text, roffEscape(c.UseLine())) {
			t.Errorf("%s.1 does not name the command:\n%.300s", name, text)
		}
		if groff != "" {
			checkRendered(t, groff, name, page, c)
		}
	}
	// the hidden man command itself gets no page
	if _, err := os.Stat(filepath.Join(dir, "dbforge-man.1")); err == nil {
		t.Error("hidden command has a page")
	}
	assertError(t, run(t, "", "man"), exitUsage, "accepts 1 arg")
}

// checkRendered formats a page with groff, as man would, and checks it
// warns about nothing and reads as the command's help: its use line, its
// short description and every visible flag, spelled with ASCII hyphens.
func checkRendered(t *testing.T, groff, name string, page []byte, c *cobra.Command) {
	t.Helper()
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-rLL=200n")
	cmd.Stdin = strings.NewReader(string(page))
	var out, warn strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &warn
	if err := cmd.Run(); err != nil || warn.Len() > 0 {
		t.Errorf("groff on %s.1: %v %s", name, err, warn.String())
		return
	}
	// drop bold/underline overstrikes and collapse the fill's spaces
	text := regexp.MustCompile(`.\x08`).ReplaceAllString(out.String(), "")
	text = strings.Join(strings.Fields(text), " ")
	for _, want := range []string{c.UseLine(), name + " - " + c.Short} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("%s.1 as rendered lacks %q:\n%.400s", name, want, text)
		}
	}
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && !strings.Contains(text, "--"+f.Name) {
			t.Errorf("%s.1 as rendered lacks --%s", name, f.Name)
		}
	})
}

// TestRoffEscaping: help text that looks like roff prints as itself.
func TestRoffEscaping(t *testing.T) {
	got := roffLines(".SH not a section\n'quoted\nback\\slash --flag \\fBnot bold … é")
	want := `\&.SH not a section` + "\n" + `\&'quoted` + "\n" + `back\eslash \-\-flag \efBnot bold \[u2026] \[u00E9]`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
