// Package app holds the use cases the TUI and the CLI share: running
// statements (read_only, the destructive-statement check), what a
// read-only session refuses, exporting, importing, backing up and
// restoring a database, writing a user's file, and the format and path
// rules they follow. Each use case is a plain
// function over the part of the client it needs, cancelled through its
// context, and reports progress as a stream of events through a callback
// (the TUI turns them into messages, the CLI draws them on stderr).
//
// app imports the client and the small internal rules; never ui, views,
// Bubble Tea or internal/cli (internal/repocheck enforces it), so both
// front ends stay thin: flags or keys in, an app call, a printer or a
// message out.
package app

import (
	"context"
	"io"

	"github.com/dbforge/dbforge/client"
)

// Transfers is the client surface of the transfer use cases. *client.Client
// satisfies it, and so does the TUI's API.
type Transfers interface {
	ExportCSV(ctx context.Context, db, table string, w io.Writer, opts ...client.TransferOption) (int64, error)
	ExportJSON(ctx context.Context, db, table string, ndjson bool, w io.Writer, opts ...client.TransferOption) (int64, error)
	ExportSQL(ctx context.Context, db string, w io.Writer, opts ...client.TransferOption) (int64, error)
	ExportQuery(ctx context.Context, db string, req client.ExportQueryRequest, w io.Writer, opts ...client.TransferOption) (int64, error)
	ImportCSV(ctx context.Context, db string, r io.Reader, opts client.ImportCSVOptions, topts ...client.TransferOption) (*client.ImportResult, error)
	ImportSQL(ctx context.Context, db string, r io.Reader, opts ...client.TransferOption) (*client.ScriptResult, error)
	Backup(ctx context.Context, db string) (*client.BackupResult, error)
	Restore(ctx context.Context, db, name string) (*client.BackupResult, error)
}

// The real client must keep satisfying Transfers.
var _ Transfers = (*client.Client)(nil)

// Progress is one event of a running transfer. Events come in order,
// each with the running totals; a consumer may drop any but the last.
type Progress struct {
	Bytes int64 // moved so far: written to the file (export) or sent (import)
	Total int64 // bytes expected, 0 when unknown (an import knows its file's size)
	Lines int64 // line ends written so far (an export): rows plus the format's framing
}

// report calls fn when there is one: a nil callback means nobody listens.
func report(fn func(Progress), p Progress) {
	if fn != nil {
		fn(p)
	}
}
