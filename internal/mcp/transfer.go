package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/csvio"
)

// Bounds of export_csv: a tool result lands in a model's context.
const (
	defaultExportBytes = 64 << 10
	maxExportBytes     = 1 << 20
	// exportQueryRows is how many rows a query export asks for; the byte
	// cap usually ends it first.
	exportQueryRows = 100000
)

type exportCSVIn struct {
	Database string          `json:"database"`
	Table    string          `json:"table,omitempty" jsonschema:"export this table or view; give table or sql, not both"`
	SQL      string          `json:"sql,omitempty" jsonschema:"export the rows of this one SELECT statement instead of a table"`
	Params   json.RawMessage `json:"params,omitempty" jsonschema:"values for the placeholders of sql"`
	MaxBytes int             `json:"max_bytes,omitempty" jsonschema:"cap on the CSV returned, default 65536, at most 1048576; past it the CSV is cut after the last whole row"`
}

type exportCSVOut struct {
	CSV       string `json:"csv" jsonschema:"RFC 4180 CSV with a header row"`
	Bytes     int    `json:"bytes"`
	Truncated bool   `json:"truncated" jsonschema:"true when the CSV was cut at max_bytes"`
	Note      string `json:"note,omitempty"`
}

type importCSVIn struct {
	Database string `json:"database"`
	Table    string `json:"table" jsonschema:"target table; created with inferred column types unless it exists"`
	CSV      string `json:"csv" jsonschema:"the CSV text, RFC 4180, comma separated"`
	NoHeader bool   `json:"no_header,omitempty" jsonschema:"the first line is data, not column names (columns become c1, c2, …)"`
	NoCreate bool   `json:"no_create,omitempty" jsonschema:"fail when the table does not exist instead of creating it"`
}

func (s *server) addTransferTools(srv *sdk.Server) {
	addTool(s, srv, tool{name: "export_csv", title: "Export CSV", idempotent: true,
		refine:      all(names("database"), params, atLeast("max_bytes", 1)),
		description: "Export a table, or the rows of a SELECT, as CSV text with a header row. The text is capped (max_bytes, default 64 KiB); truncated says whether rows were cut, so narrow the query or page with LIMIT/OFFSET for more."},
		s.exportCSV)

	addTool(s, srv, tool{name: "import_csv", title: "Import CSV", writes: true, refine: names("database"),
		description: "Load CSV text into a table in one transaction (all rows or none); the table is created with inferred column types when it does not exist."},
		func(ctx context.Context, c *client.Client, in importCSVIn) (*client.ImportResult, error) {
			return c.ImportCSV(ctx, in.Database, strings.NewReader(in.CSV), client.ImportCSVOptions{Table: in.Table, NoHeader: in.NoHeader, NoCreate: in.NoCreate})
		})

	addTool(s, srv, tool{name: "backup", title: "Back up a database", refine: names("database"),
		description: "Take a consistent snapshot of a database while it keeps serving; restore or fork_database can go back to it later. Old backups beyond the server's retention are deleted."},
		func(ctx context.Context, c *client.Client, in databaseIn) (*client.BackupResult, error) {
			return c.Backup(ctx, in.Database)
		})

	addTool(s, srv, tool{name: "list_backups", title: "List backups", idempotent: true, refine: names("database"),
		description: "List a database's backups, newest first, with their names for restore and fork_database."},
		func(ctx context.Context, c *client.Client, in databaseIn) (listBackupsOut, error) {
			list, err := c.Backups(ctx, in.Database)
			if list == nil {
				list = []client.BackupInfo{}
			}
			return listBackupsOut{Backups: list}, err
		})

	addTool(s, srv, tool{name: "restore", title: "Restore a backup", writes: true, destructive: true, refine: names("database"),
		description: "Replace a database's whole content with one of its backups. Changes made since that backup are lost: take a backup first if they may be needed."},
		func(ctx context.Context, c *client.Client, in restoreIn) (*client.BackupResult, error) {
			return c.Restore(ctx, in.Database, in.Backup)
		})
}

func (s *server) exportCSV(ctx context.Context, c *client.Client, in exportCSVIn) (exportCSVOut, error) {
	limit := in.MaxBytes
	switch {
	case limit <= 0:
		limit = defaultExportBytes
	case limit > maxExportBytes:
		limit = maxExportBytes
	}
	if (in.Table == "") == (in.SQL == "") {
		return exportCSVOut{}, errors.New("give either table or sql")
	}
	w := &cappedBuffer{limit: limit}
	if in.Table != "" {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		w.full = cancel // stop the stream once the cap is reached
		if _, err := c.ExportCSV(ctx, in.Database, in.Table, w); err != nil && !w.truncated {
			return exportCSVOut{}, err
		}
	} else {
		r, err := c.Query(ctx, in.Database, client.QueryRequest{SQL: in.SQL, Params: paramsOf(in.Params), Limit: exportQueryRows, Shape: "rows", ReadOnly: true})
		if err != nil {
			return exportCSVOut{}, err
		}
		if !r.Returning() {
			return exportCSVOut{}, errors.New("sql returned no rows to export: use a SELECT")
		}
		if err := writeCSV(w, r); err != nil {
			return exportCSVOut{}, err
		}
		if r.HasMore {
			w.truncated = true
		}
	}
	text := w.text()
	out := exportCSVOut{CSV: text, Bytes: len(text), Truncated: w.truncated}
	if w.truncated {
		out.Note = fmt.Sprintf("Truncated: only the first %d bytes of whole rows are shown. Narrow the query (WHERE, LIMIT/OFFSET) or raise max_bytes (at most %d).", len(text), maxExportBytes)
	}
	return out, nil
}

// writeCSV writes a result with a header row in the project's one CSV
// dialect (internal/csvio), byte for byte what the gateway's CSV export
// and `dbforge query -o csv` write: NULL an unquoted empty field, the
// empty string "", a REAL with its fraction, BLOBs base64, CRLF. Rows are
// flushed one by one so a cut falls after whole rows.
func writeCSV(w *cappedBuffer, r *client.QueryResult) error {
	cw, err := csvio.NewWriter(w, "")
	if err != nil {
		return err
	}
	head := make([]string, len(r.Columns))
	for i, col := range r.Columns {
		head[i] = col.Name
	}
	if err := cw.WriteHeader(head); err != nil {
		return err
	}
	for _, row := range r.Rows {
		if err := cw.WriteRow(row); err != nil {
			return err
		}
		if err := cw.Flush(); err != nil {
			if w.truncated {
				return nil
			}
			return err
		}
	}
	if err := cw.Flush(); err != nil && !w.truncated {
		return err
	}
	return nil
}

// errCapped ends writes past the cap.
var errCapped = errors.New("export cap reached")

// cappedBuffer keeps the first limit bytes written and notes whether more
// came; full, if set, is called once when the cap is reached.
type cappedBuffer struct {
	buf       bytes.Buffer
	limit     int
	truncated bool
	full      func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.truncated {
		return 0, errCapped
	}
	if room := b.limit - b.buf.Len(); len(p) > room {
		b.buf.Write(p[:room])
		b.truncated = true
		if b.full != nil {
			b.full()
		}
		return room, errCapped
	}
	return b.buf.Write(p)
}

// text is what was kept, cut after the last whole line when truncated.
// A newline inside a quoted field can end a cut early; never late.
func (b *cappedBuffer) text() string {
	s := b.buf.String()
	if !b.truncated {
		return s
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[:i+1]
	}
	return ""
}
