package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// ExportQueryRequest is one read-only statement to export, with its
// parameters (a slice binds by position, a map by name) and the format:
// ExportCSV (the default), ExportJSON or ExportNDJSON.
type ExportQueryRequest struct {
	SQL    string `json:"sql"`
	Params any    `json:"params,omitempty"`
	Format string `json:"format,omitempty"`
}

// ExportQuery streams every row of one statement into w, encoded as the
// table exports are (CSV with a header line, a JSON array of objects, or
// NDJSON), and returns the bytes written. No row limit applies; memory
// stays constant and only ctx bounds the transfer: cancelling it stops the
// gateway's statement. The gateway runs the statement on a read-only
// connection whatever the key, so a statement that writes is refused with
// a 403 and changes nothing. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) ExportQuery(ctx context.Context, db string, req ExportQueryRequest, w io.Writer, opts ...TransferOption) (int64, error) {
	path, err := dbPath("/api/db/", db, "/export/query")
	if err != nil {
		return 0, err
	}
	switch req.Format {
	case "", ExportCSV, ExportJSON, ExportNDJSON:
	default:
		return 0, fmt.Errorf("unknown export format %q: use csv, json or ndjson", req.Format)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return 0, err
	}
	return c.downloadFrom(ctx, "export query", http.MethodPost, path, nil, body, w, opts)
}
