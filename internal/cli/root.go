// Package cli is DB-Forge's command line: the cobra commands of the
// scripting CLI (cmd_*.go), `dbforge serve` (serve.go: flags, TLS, the
// bootstrap key, the gateway and /mcp on one listener), the TUI's entry
// (tui.go) and shell completion and man pages.
//
// Each command settles its flags, calls the use case it shares with the
// TUI (internal/app: statements, export, import, backup, restore, fork)
// or the client, and prints the answer; the rules of the data live below
// it (internal/app, engine, gateway, client, internal/csvio,
// internal/sanitize). What the package does own is how the
// CLI talks to people and scripts: choosing and opening the connection
// (connect.go: remote gateway or embedded data directory), the output
// formats (output.go, grid.go, format_*.go: table, JSON, CSV, Markdown),
// parameter parsing (params.go), one-line error messages that name the
// database and the cause (errors.go), progress bars on stderr
// (progress.go), and terminal-safe printing of raw streams (safe_writer.go).
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/internal/config"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=…".
// When it is not, version() falls back to the module version Go records in
// the binary (what `go install …@v1.2.3` builds).
var Version = "dev"

// version is the version this binary reports everywhere: --version, the
// version command, /health and the client's User-Agent.
func version() string {
	info, ok := debug.ReadBuildInfo()
	return resolveVersion(Version, info, ok)
}

// resolveVersion prefers the ldflags value, then the main module version
// from the build info, then the VCS revision Go stamped, then "dev".
func resolveVersion(ldflags string, info *debug.BuildInfo, ok bool) string {
	if ldflags != "" && ldflags != "dev" {
		return ldflags
	}
	if !ok || info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			rev = s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "-dirty"
		}
	}
	if rev != "" {
		return "dev+" + rev + dirty
	}
	return "dev"
}

// Exit codes: 1 for a failed operation, 2 for a usage error.
const (
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks errors caused by how the command was called.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// usagef builds a usageError from a format.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Main runs the command line and returns the process exit code. Every
// failure is one line on stderr; stdout only ever carries results.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "error: %s\n", friendly(err))
	if isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

// isUsage reports whether err comes from how the command was called: bad
// flags or arguments, or a bad value typed as a flag.
func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	var ce *config.Error
	return errors.As(err, &ce) && ce.Origin.Source == config.FromFlag
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "dbforge",
		Short: "Isolated SQLite and PostgreSQL databases on demand: terminal UI, HTTP gateway and CLI",
		Long: `DB-Forge provisions isolated SQLite databases on demand, and PostgreSQL
ones on the server named by DBFORGE_POSTGRES (or "dbforge serve --postgres").

With no command it opens the terminal UI. With --url (or DBFORGE_URL, or url in
the config file) every command talks to that gateway; without one it runs the
gateway in-process over the data directory (embedded mode).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          usageArgs(cobra.NoArgs),
		RunE:          runTUI,
		Version:       version(),
	}
	// --version prints exactly what the version command prints.
	root.SetVersionTemplate("dbforge {{.Version}}\n")
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	addGlobalFlags(root)

	root.AddCommand(
		newVersionCmd(),
		newServeCmd(),
		newConfigCmd(),
		newDBCmd(),
		newQueryCmd(),
		newSchemaCmd(),
		newExplainCmd(),
		newHealthCmd(),
		newKeysCmd(),
		newAuditCmd(),
		newExportCmd(),
		newImportCmd(),
		newBackupCmd(),
		newBackupsCmd(),
		newRestoreCmd(),
		newManCmd(),
		newMCPCmd(),
		newTemplatesCmd(),
	)
	addCompletions(root)
	return root
}

// usageArgs makes cobra's argument checks usage errors (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usagef("%v (usage: %s)", err, cmd.UseLine())
		}
		return nil
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "dbforge %s\n", version())
			return err
		},
	}
}
