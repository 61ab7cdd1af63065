package cli

import "github.com/spf13/cobra"

// addStatementFlags registers the flags of a command that takes a
// statement as dbforge query does: --file and --param.
func addStatementFlags(cmd *cobra.Command, f *queryFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "file", "f", "", "read the SQL from FILE (- for stdin)")
	fl.StringArrayVarP(&f.params, "param", "p", nil, "bind a parameter: VALUE or NAME=VALUE (repeatable)")
}

// statementArgs reads what such a command names: the database (the first
// argument), the SQL (the second argument, --file or stdin) and the
// --param values.
func statementArgs(cmd *cobra.Command, args []string, f queryFlags) (db, sql string, params any, err error) {
	sql, err = readSQL(cmd, args[1:], f.file)
	if err != nil {
		return "", "", nil, err
	}
	params, err = parseParams(f.params)
	if err != nil {
		return "", "", nil, err
	}
	return args[0], sql, params, nil
}
