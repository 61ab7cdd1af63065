package cli

import (
	"errors"
	"io"
	"net/http"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/mcp"
)

func newMCPCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve DB-Forge's tools to an AI assistant over MCP (stdio)",
		Long: `Run a Model Context Protocol server on stdin/stdout, for an assistant or
coding agent to start as a subprocess. Its tools create, fork, query, export,
import and back up databases. It works in embedded mode on the data directory
(--data) by default, or against a gateway with --url and --api-key, whose key
then decides what the tools may do. --read-only refuses every change.

Add it to an assistant's MCP configuration, e.g.:

  {"mcpServers": {"dbforge": {"command": "dbforge", "args": ["mcp"]}}}

A running gateway also serves the same tools over HTTP at /mcp.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSession(cmd, func(s *Session) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				srv := mcp.New(mcp.Options{
					Version:  Version,
					Client:   func(http.Header) *client.Client { return s.Client },
					ReadOnly: s.Config.ReadOnly,
				})
				t := &sdk.IOTransport{Reader: io.NopCloser(cmd.InOrStdin()), Writer: nopWriteCloser{cmd.OutOrStdout()}}
				err := srv.Run(ctx, t)
				if ctx.Err() != nil || errors.Is(err, io.EOF) {
					return nil // the assistant hung up, or an interrupt: a normal end
				}
				return err
			})
		},
	}
}

// nopWriteCloser leaves stdout open when the MCP connection closes.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
