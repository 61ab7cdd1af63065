package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/config"
)

// templatesDir is where user templates live: templates/ next to the
// config file.
func templatesDir(cfg *config.Config) string {
	if cfg.File == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(cfg.File), "templates")
}

func newTemplatesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "templates",
		Short: "List the templates a new database can be created from (db spawn --template)",
		Long: `List the templates a new database can be created from: the bundled ones
(ecommerce, app, kv, events) and the gateway's own NAME.sql files in
templates/ next to its config file (in embedded mode: next to yours). A
user file named like a bundled template replaces it. A template creates a
SQLite database (not a PostgreSQL one).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				list, err := s.Client.Templates(ctx)
				if err != nil {
					return err
				}
				return p.doc(b, list, "", templatesGrid(list))
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func templatesGrid(list []client.Template) grid {
	g := grid{cols: []string{"name", "source", "description"}}
	for _, t := range list {
		g.rows = append(g.rows, []any{t.Name, t.Source, t.Description})
	}
	return g
}

// spawnFromHelp documents spawn's template flags.
const spawnFromHelp = `
With --template NAME (see dbforge templates) or --from-sql FILE ("-" for
stdin) a new database is created filled by that script, in one
transaction: a failing script creates nothing, and an existing NAME is
refused rather than changed. Templates and scripts create SQLite databases
only (with --backend postgres they are refused).`

// spawnFrom holds spawn's --template and --from-sql flags.
type spawnFrom struct {
	template, fromSQL string
}

func (f *spawnFrom) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.template, "template", "", "fill the new database from this template (see dbforge templates)")
	cmd.Flags().StringVar(&f.fromSQL, "from-sql", "", `fill the new database with this SQL script file ("-" for stdin)`)
}

// options reads the script file, if any.
func (f *spawnFrom) options(cmd *cobra.Command) (client.SpawnOptions, error) {
	opts := client.SpawnOptions{Template: f.template}
	if f.template != "" && f.fromSQL != "" {
		return opts, usagef("--template and --from-sql both fill the new database: give one of them")
	}
	switch f.fromSQL {
	case "":
	case "-":
		b, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return opts, fmt.Errorf("reading the script from stdin: %w", err)
		}
		opts.FromSQL = string(b)
	default:
		b, err := os.ReadFile(f.fromSQL)
		if err != nil {
			return opts, fmt.Errorf("reading the script: %w", err)
		}
		opts.FromSQL = string(b)
	}
	if f.fromSQL != "" && strings.TrimSpace(opts.FromSQL) == "" {
		return opts, fmt.Errorf("the script %s is empty", f.fromSQL)
	}
	return opts, nil
}
