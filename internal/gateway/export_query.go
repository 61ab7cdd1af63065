package gateway

import (
	"net/http"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// exportQueryRequest is the body of POST /api/db/{db}/export/query: a
// statement as /query takes it, and the format to stream its rows in.
type exportQueryRequest struct {
	queryRequest
	Format string `json:"format"`
}

// exportQuery streams every row of one statement as CSV, a JSON array or
// NDJSON (the table exports' encoding, no row limit). The engine runs it on
// a read-only connection for every key, so an export never writes; its
// access is read, like /query.
func (g *Gateway) exportQuery(w http.ResponseWriter, r *http.Request) {
	var req exportQueryRequest
	q, err := g.readQuery(r, &req, &req.queryRequest)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	switch req.Format {
	case "":
		req.Format = client.ExportCSV
	case client.ExportCSV, client.ExportJSON, client.ExportNDJSON:
	default:
		writeError(w, invalid(`Field 'format' must be "csv", "json" or "ndjson".`))
		return
	}
	sw := newStreamWriter(w, req.Format, "query")
	n, err := g.eng.ExportQuery(r.Context(), r.PathValue("db"), q, req.Format, sw)
	note(w, engine.KindRead, n)
	g.finishExport(w, r, sw, err)
}
