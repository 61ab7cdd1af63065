package cli

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// completionTimeout bounds one completion's calls: a slow or dead gateway
// must not freeze the shell.
const completionTimeout = 2 * time.Second

// lister fetches candidates for a completion; args are the positional
// arguments typed so far.
type lister func(ctx context.Context, c *client.Client, args []string) ([]string, error)

// positional completes the n-th argument with the lister at index n; past
// the list there is nothing to offer. Files are never offered instead.
func positional(listers ...lister) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(listers) || listers[len(args)] == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return fetch(cmd, args, toComplete, listers[len(args)])
	}
}

// fromArgs completes a flag with a lister over the positional arguments.
func fromArgs(l lister) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return fetch(cmd, args, toComplete, l)
	}
}

// fixed completes with a fixed list of values.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// fetch opens a session through the same client every command uses and
// asks l, within completionTimeout. Any failure (no gateway, bad key, no
// data directory yet) offers nothing, quietly: completion never prints
// an error into the user's command line, and never creates a data
// directory.
func fetch(cmd *cobra.Command, args []string, toComplete string, l lister) ([]cobra.Completion, cobra.ShellCompDirective) {
	const quiet = cobra.ShellCompDirectiveNoFileComp
	cfg, err := resolveConfig(cmd)
	if err != nil {
		return nil, quiet
	}
	if cfg.Embedded() {
		if _, err := os.Stat(cfg.DataDir); err != nil {
			return nil, quiet
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	var names []string
	err = withSession(cmd, func(s *Session) error {
		var lerr error
		names, lerr = l(ctx, s.Client, args)
		return lerr
	})
	if err != nil {
		return nil, quiet
	}
	var out []cobra.Completion
	for _, n := range names {
		// names from a gateway go into the user's shell: only plain ones
		if strings.HasPrefix(n, toComplete) && sanitize.IsClean(n) && !strings.ContainsAny(n, " \t\n") {
			out = append(out, n)
		}
	}
	return out, quiet
}

// databases lists database names: running ones, stopped ones, or all.
func databases(want string) lister {
	return func(ctx context.Context, c *client.Client, _ []string) ([]string, error) {
		list, err := c.ListDatabases(ctx, want != "running")
		if err != nil {
			return nil, err
		}
		var names []string
		for _, d := range list {
			if want == "" || d.Status == want {
				names = append(names, d.Name)
			}
		}
		return names, nil
	}
}

// tables lists the tables and views of the database named first.
func tables(ctx context.Context, c *client.Client, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, nil
	}
	s, err := c.Schema(ctx, args[0], "")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(s.Tables))
	for i, t := range s.Tables {
		names[i] = t.Name
	}
	return names, nil
}

// backups lists the snapshots of the database named first, newest first.
func backups(ctx context.Context, c *client.Client, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, nil
	}
	list, err := c.Backups(ctx, args[0])
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, b := range list {
		names[i] = b.Name
	}
	return names, nil
}

// keyIDs lists the ids of the API keys.
func keyIDs(ctx context.Context, c *client.Client, _ []string) ([]string, error) {
	list, err := c.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, k := range list {
		ids[i] = k.ID
	}
	return ids, nil
}

// addCompletions wires what each command's arguments and flags complete
// to, in one table, walking the finished command tree.
func addCompletions(root *cobra.Command) {
	anyDB := databases("")
	args := map[string]cobra.CompletionFunc{
		"query":       positional(anyDB),
		"explain":     positional(anyDB),
		"schema":      positional(anyDB, tables),
		"export":      positional(anyDB),
		"backup":      positional(anyDB),
		"backups":     positional(anyDB),
		"restore":     positional(anyDB, backups),
		"db spawn":    positional(databases("stopped")),
		"db prune":    positional(databases("running")),
		"db delete":   positional(anyDB),
		"db info":     positional(anyDB),
		"db stats":    positional(anyDB),
		"keys revoke": positional(keyIDs),
		"version":     positional(),
		"health":      positional(),
		"config":      positional(),
		"db list":     positional(),
		"keys list":   positional(),
		"serve":       positional(),
		"audit":       positional(),
		"keys create": positional(),
		"import":      importArgs(anyDB),
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		if f, ok := args[path]; ok && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = f
		}
		fl := c.Flags()
		switch {
		case path == "export":
			// export's --format names an export format, not an output one
			_ = c.RegisterFlagCompletionFunc("format", fixed(app.ExportFormats()...))
			_ = c.RegisterFlagCompletionFunc("table", fromArgs(tables))
		case path == "import":
			_ = c.RegisterFlagCompletionFunc("format", fixed(app.CSV, app.SQL))
			_ = c.RegisterFlagCompletionFunc("table", fromArgs(tables))
			_ = c.RegisterFlagCompletionFunc("delimiter", fixed(",", ";", "tab", "|"))
		case path == "keys create":
			_ = c.RegisterFlagCompletionFunc("role", fixed("admin", "readwrite", "readonly"))
		case path == "serve":
			_ = c.RegisterFlagCompletionFunc("log-format", fixed("text", "json"))
		case fl.Lookup("format") != nil:
			_ = c.RegisterFlagCompletionFunc("format", fixed(formats...))
		}
		if fl.Lookup("backend") != nil { // db spawn --backend
			_ = c.RegisterFlagCompletionFunc("backend", fixed(client.Backends()...))
		}
		if fl.Lookup("db") != nil { // keys create --db, audit --db
			_ = c.RegisterFlagCompletionFunc("db", fromArgs(anyDB))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	_ = root.RegisterFlagCompletionFunc(flagTheme, fixed("dark", "light", "high-contrast"))
	walk(root)
}

// importArgs completes import's DB, then FILE from the file system.
func importArgs(db lister) cobra.CompletionFunc {
	dbs := positional(db)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return nil, cobra.ShellCompDirectiveDefault
		}
		return dbs(cmd, args, toComplete)
	}
}
