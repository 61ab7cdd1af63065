// Package mcp serves DB-Forge as a Model Context Protocol server, so a
// coding agent or an assistant can discover its tools and call them. Every
// tool calls the public Go client, never the engine: over stdio it is the
// client of the CLI's session (embedded or remote), and behind `dbforge
// serve` at /mcp it is a client that carries the caller's own key to the
// in-process gateway. Either way the gateway's key, role and scope rules
// decide what a call may do, exactly as over REST.
package mcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
)

// Options configure a server.
type Options struct {
	Version string // reported to clients; default "dev"
	// Client returns the client one call runs through. header is the HTTP
	// request's header behind /mcp and nil over stdio.
	Client func(header http.Header) *client.Client
	// ReadOnly refuses every tool that changes something (the CLI's
	// --read-only); statements run on connections that cannot write.
	ReadOnly bool
	// Logger receives recovered panics; nil discards.
	Logger *slog.Logger
}

// server holds what the tool handlers share.
type server struct {
	opts Options
	log  *slog.Logger
}

// New builds the MCP server with every DB-Forge tool and the schema
// resource template.
func New(opts Options) *sdk.Server {
	if opts.Version == "" {
		opts.Version = "dev"
	}
	s := &server{opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	srv := sdk.NewServer(&sdk.Implementation{Name: "dbforge", Title: "DB-Forge", Version: opts.Version}, &sdk.ServerOptions{
		Instructions: instructions,
	})
	s.addTools(srv)
	s.addResources(srv)
	return srv
}

// instructions tell a model how the tools fit together.
const instructions = `DB-Forge gives you isolated SQLite (or, where the server offers it,
PostgreSQL) databases on demand.
Typical flow: list_databases; spawn_database (optionally from a template, optionally
with backend postgres); query to
create tables and read or write rows (one SQL statement per call, values as params);
schema to see tables and columns; fork_database to try risky changes on a throw-away
copy and delete_database it afterwards. Database names: letters, digits, _ . - and
starting with a letter or digit. SQL is the database's own dialect: SQLite's, or
PostgreSQL's for a postgres database (list_databases shows each one's backend).`

// errReadOnly refuses a changing tool in read-only mode.
var errReadOnly = errors.New("read-only mode: this server refuses changes (spawn, prune, delete, fork, import, restore); only reading tools work")

// handler is what each tool implements: a call with its client.
type handler[In, Out any] func(ctx context.Context, c *client.Client, in In) (Out, error)

// tool describes one tool for addTool.
type tool struct {
	name, title, description string
	writes                   bool // changes data or databases: refused in read-only mode
	// readOnlyRuns lets a writing tool run in read-only mode because it
	// asks the gateway for a connection that cannot write (query)
	readOnlyRuns bool
	destructive  bool // may destroy data
	idempotent   bool
	// refine tightens the input schema inferred from the struct tags
	// (patterns, bounds, unions the tags cannot say)
	refine func(*jsonschema.Schema)
}

// addTool registers a typed tool. Its input schema comes from In (json
// and jsonschema tags), its output schema from Out. A failing call is a tool
// error (IsError) carrying the gateway's code and message, and a panic is
// recovered into one: nothing a call does ends the session.
func addTool[In, Out any](s *server, srv *sdk.Server, t tool, h handler[In, Out]) {
	destructive := t.destructive
	openWorld := false
	ann := &sdk.ToolAnnotations{
		Title:           t.title,
		ReadOnlyHint:    !t.writes,
		DestructiveHint: &destructive,
		IdempotentHint:  t.idempotent,
		OpenWorldHint:   &openWorld,
	}
	def := &sdk.Tool{Name: t.name, Title: t.title, Description: t.description, Annotations: ann}
	if t.refine != nil {
		in, err := jsonschema.For[In](nil)
		if err != nil {
			panic(fmt.Sprintf("mcp: tool %s: input schema: %v", t.name, err)) // a programming error, found by every test
		}
		t.refine(in)
		def.InputSchema = in
	}
	sdk.AddTool(srv, def,
		func(ctx context.Context, req *sdk.CallToolRequest, in In) (res *sdk.CallToolResult, out Out, err error) {
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("mcp tool panicked", "tool", t.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					var zero Out
					res, out, err = nil, zero, errors.New("internal error in tool "+t.name)
				}
			}()
			if t.writes && !t.readOnlyRuns && s.opts.ReadOnly {
				return nil, out, errReadOnly
			}
			var header http.Header
			if req != nil && req.Extra != nil {
				header = req.Extra.Header
			}
			out, err = h(ctx, s.opts.Client(header), in)
			if err != nil {
				return nil, out, toolError(err)
			}
			return nil, out, nil
		})
}

// toolError words an error for a model: the gateway's code and message
// when it answered, else the error itself.
func toolError(err error) error {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Code != "" {
		return fmt.Errorf("%s (HTTP %d): %s", ae.Code, ae.Status, ae.Message)
	}
	return err
}
