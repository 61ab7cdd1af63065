package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
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
		named := strings.Contains(text, ".SH NAME\n"+name+" - "+c.Short) ||
			strings.Contains(text, ".SH NAME\n"+strings.ReplaceAll(name, "-", `\-`)+` \- `)
		if !strings.Contains(text, `.TH "DBFORGE" "1"`) || !named || !strings.Contains(text, c.UseLine()) {
			t.Errorf("%s.1 does not name the command:\n%.300s", name, text)
		}
	}
	// the hidden man command itself gets no page
	if _, err := os.Stat(filepath.Join(dir, "dbforge-man.1")); err == nil {
		t.Error("hidden command has a page")
	}
	assertError(t, run(t, "", "man"), exitUsage, "accepts 1 arg")
}
