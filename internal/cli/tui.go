package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/ui"
)

// runTUI opens the terminal UI; it is the root command's default action.
func runTUI(cmd *cobra.Command, _ []string) error {
	if !isTerminal(cmd.InOrStdin()) || !isTerminal(cmd.OutOrStdout()) {
		return errors.New("the terminal UI needs a terminal on stdin and stdout; for scripts use the CLI (dbforge --help)")
	}
	s, err := connect(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg := s.Config
	mode := cfg.URL
	if s.Embedded() {
		mode = "embedded"
	}
	return startTUI(cmd, s.Client, tuiSettings{
		Mode:     mode,
		Embedded: s.Embedded(),
		Theme:    cfg.Theme,
		NoColor:  cfg.NoColor || os.Getenv("NO_COLOR") != "",
		Refresh:  cfg.RefreshInterval,
		Timeout:  cfg.Timeout,
		ReadOnly: cfg.ReadOnly,
		Keys:     cfg.Keys,
		History:  historyDir(cfg.DataDir, cfg.URL),
	})
}

// historyDir keeps query history in the data directory; a remote gateway's
// databases get a folder of their own, so "demo" here and "demo" there do
// not share one.
func historyDir(dataDir, gatewayURL string) string {
	dir := filepath.Join(dataDir, "history")
	if gatewayURL == "" {
		return dir
	}
	host := gatewayURL
	if u, err := url.Parse(gatewayURL); err == nil && u.Host != "" {
		host = u.Host
	}
	safe := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, host)
	return filepath.Join(dir, "remote", safe)
}

// tuiSettings is what the TUI takes from the resolved configuration.
type tuiSettings struct {
	Mode     string              // "embedded" or the gateway URL
	Embedded bool                // first run creates the demo database
	Theme    string              // "" follows the terminal background
	NoColor  bool                // --no-color or NO_COLOR
	Timeout  time.Duration       // bound on each call; 0 = the UI's default
	Refresh  time.Duration       // health refresh interval
	ReadOnly bool                // hide and refuse writes
	Keys     map[string][]string // [keys] overrides from the config file
	Database string              // database to open first
	History  string              // per-database query history folder; "" keeps none
}

// startTUI builds the theme check, the key map and the root model, and runs
// the program until the user quits. Bubble Tea restores the terminal on
// every exit path, including errors and cancellation.
func startTUI(cmd *cobra.Command, api ui.API, s tuiSettings) error {
	if s.Theme != "" {
		if _, err := theme.New(s.Theme, true, false); err != nil {
			return usageError{err}
		}
	}
	km := keymap.Default()
	if err := km.Apply(s.Keys); err != nil {
		return usageError{err}
	}
	for _, c := range km.Conflicts() {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: keys: %s\n", c)
	}
	m := ui.New(api, ui.Options{
		Mode:       s.Mode,
		Theme:      s.Theme,
		NoColor:    s.NoColor,
		Keys:       &km,
		ReadOnly:   s.ReadOnly,
		Refresh:    s.Refresh,
		Timeout:    s.Timeout,
		Database:   s.Database,
		SeedDemo:   s.Embedded,
		HistoryDir: s.History,
	})
	opts := []tea.ProgramOption{tea.WithOutput(cmd.OutOrStdout()), tea.WithInput(cmd.InOrStdin())}
	if ctx := cmd.Context(); ctx != nil {
		opts = append(opts, tea.WithContext(ctx))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}
