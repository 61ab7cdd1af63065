// Command dbforge provisions SQLite databases on demand and works with them:
// a terminal UI (the default), an HTTP gateway (serve) and a scripting CLI.
package main

import (
	"os"

	"github.com/dbforge/dbforge/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
