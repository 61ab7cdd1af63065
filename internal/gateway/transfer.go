package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// registerTransferRoutes adds export, import and backup routes.
//
// Backup and restore share one pattern: "POST /admin/databases/{db}/backup"
// would conflict in the mux with MK1's "POST /admin/databases/spawn/{db}"
// (both match /admin/databases/spawn/backup and neither is more specific),
// whereas "{db}/{action}" is less specific than spawn/{db} and prune/{db},
// which keep their paths.
func (g *Gateway) registerTransferRoutes() {
	g.handle("GET /api/db/{db}/export/csv", accessRead, g.exportCSV)
	g.handle("GET /api/db/{db}/export/json", accessRead, g.exportJSON)
	g.handle("GET /api/db/{db}/export/sql", accessRead, g.exportSQL)
	// a readonly key may export a query: it always runs on a read-only
	// connection
	g.handle("POST /api/db/{db}/export/query", accessRead, g.exportQuery)
	g.handle(routeImportCSV, accessWrite, g.importCSV)
	g.handle("POST /api/db/{db}/import/sql", accessWrite, g.importSQL)
	g.handle("POST /admin/databases/{db}/{action}", accessAdmin, g.backupAction)
	g.handle("GET /admin/databases/{db}/backups", accessAdmin, g.listBackups)
}

// streamWriter sends a successful export's headers on its first write, so
// an error found before any byte is still answered as a JSON error.
type streamWriter struct {
	w           http.ResponseWriter
	contentType string
	filename    string
	started     bool
}

// newStreamWriter answers an export in format, one of client's transfer
// formats: its Content-Type, and the attachment base.<its extension>.
func newStreamWriter(w http.ResponseWriter, format, base string) *streamWriter {
	f, ok := client.LookupFormat(format)
	if !ok {
		// every caller names one of the table's formats; never guess a type
		f = client.TransferFormat{ContentType: "application/octet-stream", Extensions: []string{"bin"}}
	}
	return &streamWriter{w: w, contentType: f.ContentType, filename: base + "." + f.Extensions[0]}
}

func (s *streamWriter) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	h.Set("Content-Type", s.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if cd := mime.FormatMediaType("attachment", map[string]string{"filename": s.filename}); cd != "" {
		h.Set("Content-Disposition", cd)
	}
	s.w.WriteHeader(http.StatusOK)
}

func (s *streamWriter) Write(p []byte) (int, error) {
	s.start()
	return s.w.Write(p)
}

// finishExport ends an export: success makes sure the headers went out
// (an empty NDJSON export writes nothing); an error before the first byte
// is a JSON error; an error mid-stream aborts the connection so the client
// sees a truncated transfer, never a complete-looking file.
func (g *Gateway) finishExport(w http.ResponseWriter, r *http.Request, sw *streamWriter, err error) {
	if err == nil {
		sw.start()
		return
	}
	if !sw.started {
		g.fail(w, r, err)
		return
	}
	g.log.LogAttrs(r.Context(), slog.LevelWarn, "export aborted mid-stream",
		slog.String("pattern", r.Pattern), slog.String("error", err.Error()))
	panic(http.ErrAbortHandler)
}

// exportTable reads the required ?table= of an export.
func exportTable(w http.ResponseWriter, r *http.Request) (string, bool) {
	table := r.URL.Query().Get("table")
	if table == "" {
		writeError(w, invalid("Query parameter 'table' is required."))
		return "", false
	}
	return table, true
}

func (g *Gateway) exportCSV(w http.ResponseWriter, r *http.Request) {
	table, ok := exportTable(w, r)
	if !ok {
		return
	}
	sw := newStreamWriter(w, client.ExportCSV, table)
	// ?null= is the NULL marker (PostgreSQL COPY convention; default empty)
	opt := engine.CSVExportOptions{Null: r.URL.Query().Get("null")}
	n, err := g.eng.ExportCSVWith(r.Context(), r.PathValue("db"), table, sw, opt)
	note(w, engine.KindRead, n)
	g.finishExport(w, r, sw, err)
}

func (g *Gateway) exportJSON(w http.ResponseWriter, r *http.Request) {
	table, ok := exportTable(w, r)
	if !ok {
		return
	}
	ndjson, ok := boolParam(w, r, "ndjson", false)
	if !ok {
		return
	}
	format := client.ExportJSON
	if ndjson {
		format = client.ExportNDJSON
	}
	sw := newStreamWriter(w, format, table)
	n, err := g.eng.ExportJSON(r.Context(), r.PathValue("db"), table, ndjson, sw)
	note(w, engine.KindRead, n)
	g.finishExport(w, r, sw, err)
}

func (g *Gateway) exportSQL(w http.ResponseWriter, r *http.Request) {
	db := r.PathValue("db")
	sw := newStreamWriter(w, client.ExportSQL, db)
	n, err := g.eng.DumpSQL(r.Context(), db, sw)
	note(w, engine.KindRead, n)
	g.finishExport(w, r, sw, err)
}

// boolParam reads an optional true/false query parameter.
func boolParam(w http.ResponseWriter, r *http.Request, name string, def bool) (bool, bool) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, true
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		writeError(w, invalid(fmt.Sprintf("Query parameter '%s' must be true or false.", name)))
		return false, false
	}
	return v, true
}

func (g *Gateway) importCSV(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	table := q.Get("table")
	if table == "" {
		writeError(w, invalid("Query parameter 'table' is required."))
		return
	}
	opt := engine.CSVOptions{Null: q.Get("null")}
	var ok bool
	if opt.Header, ok = boolParam(w, r, "header", true); !ok {
		return
	}
	if opt.Create, ok = boolParam(w, r, "create", true); !ok {
		return
	}
	switch d := q.Get("delimiter"); {
	case d == "":
	case d == "tab" || d == `\t`:
		opt.Delimiter = '\t'
	case utf8.RuneCountInString(d) == 1:
		opt.Delimiter, _ = utf8.DecodeRuneInString(d)
	default:
		writeError(w, invalid("Query parameter 'delimiter' must be one character (or \"tab\")."))
		return
	}
	res, err := g.eng.ImportCSV(r.Context(), r.PathValue("db"), table, r.Body, opt)
	if err != nil {
		g.fail(w, r, bodyError(err))
		return
	}
	note(w, engine.KindWrite, res.Rows)
	g.writeJSON(w, r, http.StatusOK, wireImport(fmt.Sprintf("Imported %d rows into table '%s'.", res.Rows, res.Table), res))
}

// bodyError turns a body that could not be read to its end into its
// answer: 413 past the import limit (mapped by engineError), 408 when it
// stalled past the body timeout, else 400.
func bodyError(err error) error {
	var re *engine.ReadError
	var tooLarge *http.MaxBytesError
	var ae *apiError
	if errors.As(err, &ae) {
		return ae // refused by the gateway as it read (open mode's Content-Type rule)
	}
	if errors.As(err, &re) && !errors.As(err, &tooLarge) {
		if isTimeout(re.Err) {
			return bodyReadError(re.Err) // 408: the body stalled
		}
		return badRequest(fmt.Sprintf("The request body ended early (after CSV line %d); nothing was imported.", re.Line))
	}
	return err
}

func (g *Gateway) importSQL(w http.ResponseWriter, r *http.Request) {
	// a script is split into statements as a whole, so it is read whole;
	// the body limit bounds it
	body, err := readBody(r, g.maxBody)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	res, err := g.eng.ImportSQL(r.Context(), r.PathValue("db"), string(body))
	if err != nil {
		g.failScript(w, r, err)
		return
	}
	note(w, engine.KindWrite, res.RowsAffected)
	g.writeJSON(w, r, http.StatusOK, wireScript("Script executed successfully.", res))
}

// failScript answers a failed script run; a failing statement is named
// with its position.
func (g *Gateway) failScript(w http.ResponseWriter, r *http.Request, err error) {
	var se *engine.ScriptError
	if !errors.As(err, &se) {
		g.fail(w, r, err)
		return
	}
	ae := *g.engineError(r, se.Err)
	if ae.status < 500 {
		ae.msg = fmt.Sprintf("%s (statement %d, line %d: %s)", ae.msg, se.Index, se.Line, se.Statement)
	}
	writeError(w, &ae)
}

// backupAction serves POST /admin/databases/{db}/backup and …/restore.
func (g *Gateway) backupAction(w http.ResponseWriter, r *http.Request) {
	db := r.PathValue("db")
	switch r.PathValue("action") {
	case "backup":
		b, err := g.eng.Backup(r.Context(), db)
		if err != nil {
			g.fail(w, r, err)
			return
		}
		g.writeJSON(w, r, http.StatusCreated, wireBackup("Backup created.", db, b))
	case "restore":
		var req struct {
			Backup *string `json:"backup"`
		}
		if err := g.decodeBody(r, &req, false); err != nil {
			g.fail(w, r, err)
			return
		}
		if req.Backup == nil || *req.Backup == "" {
			writeError(w, invalid("Field 'backup' is required: a name from the backup list."))
			return
		}
		b, err := g.eng.Restore(r.Context(), db, *req.Backup)
		if errors.Is(err, engine.ErrBackupNotFound) {
			writeError(w, &apiError{http.StatusNotFound, client.CodeBackupNotFound, "Backup not found."})
			return
		}
		if err != nil {
			g.fail(w, r, err)
			return
		}
		g.writeJSON(w, r, http.StatusOK, wireBackup("Database restored from backup.", db, b))
	default:
		writeError(w, &apiError{http.StatusNotFound, client.CodeRouteNotFound, "Not found."})
	}
}

func (g *Gateway) listBackups(w http.ResponseWriter, r *http.Request) {
	list, err := g.eng.ListBackups(r.Context(), r.PathValue("db"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, wireSlice(list, wireBackupInfo))
}
