package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
)

// queryRequest is the body of /query and /explain.
type queryRequest struct {
	SQL        *string         `json:"sql"`
	Params     json.RawMessage `json:"params"`
	Parameters json.RawMessage `json:"parameters"` // MK1 alias of params
	Limit      int             `json:"limit"`
	Offset     int             `json:"offset"`
	Shape      string          `json:"shape"`
	// ReadOnly asks for a connection that refuses writes even when the key
	// may write: clients in a read-only mode get SQLite's guarantee, not a
	// guess from the SQL's first word.
	ReadOnly bool `json:"read_only"`

	// predecoded says decodeQueryFast bound the parameters already, into
	// decoded; toQuery then does not decode Params/Parameters again.
	predecoded bool
	decoded    []any
}

// toQuery validates the request and builds the engine's query. The SQL
// text goes to the engine untouched.
func (q *queryRequest) toQuery() (engine.Query, error) {
	if q.SQL == nil {
		return engine.Query{}, invalid("Field 'sql' is required.")
	}
	if q.predecoded {
		return engine.Query{SQL: *q.SQL, Params: q.decoded, Limit: q.Limit, Offset: q.Offset, ReadOnly: q.ReadOnly}, nil
	}
	raw := q.Params
	if !rawPresent(raw) {
		raw = q.Parameters
	}
	pos, named, err := decodeParams(raw)
	if err != nil {
		return engine.Query{}, err
	}
	return engine.Query{SQL: *q.SQL, Params: pos, Named: named, Limit: q.Limit, Offset: q.Offset, ReadOnly: q.ReadOnly}, nil
}

// readQuery decodes a body shaped as /query's into body (req itself, or a
// request that embeds it) and builds req's engine query.
func (g *Gateway) readQuery(r *http.Request, body any, req *queryRequest) (engine.Query, error) {
	if err := g.decodeBody(r, body, false); err != nil {
		return engine.Query{}, err
	}
	return req.toQuery()
}

func (g *Gateway) query(w http.ResponseWriter, r *http.Request) {
	var req queryRequest
	if err := g.decodeQueryBody(r, &req); err != nil {
		g.fail(w, r, err)
		return
	}
	asRows := false
	switch req.Shape {
	case "", "objects":
	case "rows":
		asRows = true
	default:
		writeError(w, invalid(`Field 'shape' must be "objects" or "rows".`))
		return
	}
	q, err := req.toQuery()
	if err != nil {
		g.fail(w, r, err)
		return
	}
	q.ReadOnly = q.ReadOnly || !principal(w).CanWrite()
	q.HoldMemory = true // a large result's memory stays counted until it is written
	res, err := g.eng.Exec(r.Context(), r.PathValue("db"), q)
	defer res.Release()
	note(w, statementKind(res, err), resultRows(res))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeResult(w, res, asRows)
}

// writeResult encodes a result with the hand-written encoder into a pooled
// buffer.
func (g *Gateway) writeResult(w http.ResponseWriter, res *engine.Result, asRows bool) {
	buf := g.bufs.get()
	if n := res.EncodedSize(); n > maxPooledBuffer {
		// a large answer is built in one buffer of its size: growing one
		// by copies would hold about twice as much at its peak
		*buf = make([]byte, 0, n+n/8+4096)
	}
	*buf = appendResult(*buf, res, asRows)
	writeRaw(w, http.StatusOK, *buf)
	g.bufs.put(buf)
}

func (g *Gateway) explain(w http.ResponseWriter, r *http.Request) {
	var req queryRequest
	q, err := g.readQuery(r, &req, &req)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	note(w, engine.KindRead, 0) // the statement is compiled, never run
	plan, err := g.eng.Explain(r.Context(), r.PathValue("db"), q)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	if plan == nil {
		plan = []engine.PlanNode{}
	}
	g.writeJSON(w, r, http.StatusOK, wirePlan(plan))
}

// columnRequest is one column of MK1's create-table body.
type columnRequest struct {
	Name       *string         `json:"name"`
	Type       string          `json:"type"`
	PrimaryKey bool            `json:"primary_key"`
	NotNull    bool            `json:"not_null"`
	Default    json.RawMessage `json:"default"`
}

func (g *Gateway) createTable(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TableName *string          `json:"table_name"`
		Columns   *[]columnRequest `json:"columns"`
	}
	if err := g.decodeBody(r, &req, false); err != nil {
		g.fail(w, r, err)
		return
	}
	if req.TableName == nil || req.Columns == nil {
		writeError(w, invalid("Fields 'table_name' and 'columns' are required."))
		return
	}
	cols := make([]engine.ColumnDef, len(*req.Columns))
	for i, c := range *req.Columns {
		if c.Name == nil {
			writeError(w, invalid(fmt.Sprintf("Column %d: field 'name' is required.", i+1)))
			return
		}
		cols[i] = engine.ColumnDef{Name: *c.Name, Type: c.Type, PrimaryKey: c.PrimaryKey, NotNull: c.NotNull}
		// MK1 clients send "default": null for no default
		if rawPresent(c.Default) {
			v, err := decodeValueJSON(c.Default)
			if err == nil {
				v, err = bindable(v)
			}
			if err != nil {
				writeError(w, invalid(fmt.Sprintf("Column '%s': default must be a number, string, boolean or null.", *c.Name)))
				return
			}
			cols[i].Default, cols[i].HasDefault = v, true
		}
	}
	note(w, engine.KindDDL, 0)
	if err := g.eng.CreateTable(r.Context(), r.PathValue("db"), *req.TableName, cols); err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusCreated, client.MessageResult{
		Message: fmt.Sprintf("Table '%s' created successfully.", *req.TableName),
	})
}

func (g *Gateway) insertRows(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Rows *[]map[string]json.RawMessage `json:"rows"`
	}
	if err := g.decodeBody(r, &req, false); err != nil {
		g.fail(w, r, err)
		return
	}
	if req.Rows == nil {
		writeError(w, invalid("Field 'rows' is required: a list of objects."))
		return
	}
	rows := make([]map[string]any, len(*req.Rows))
	for i, in := range *req.Rows {
		row := make(map[string]any, len(in))
		for k, raw := range in {
			v, err := decodeValueJSON(raw)
			if err == nil {
				v, err = bindable(v)
			}
			if err != nil {
				writeError(w, invalid(fmt.Sprintf("Row %d, column '%s': %v.", i+1, k, err)))
				return
			}
			row[k] = v
		}
		rows[i] = row
	}
	n, err := g.eng.InsertRows(r.Context(), r.PathValue("db"), r.PathValue("table"), rows)
	note(w, engine.KindWrite, n)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusCreated, client.InsertResult{Message: "Rows inserted successfully.", RowsAffected: n})
}

// selectRows is MK1's table read: ?limit=&offset= and equality filters on
// columns for every other query parameter.
func (g *Gateway) selectRows(w http.ResponseWriter, r *http.Request) {
	var limit, offset int
	filters := map[string]string{}
	for k, vals := range r.URL.Query() {
		switch k {
		case "limit", "offset":
			n, err := strconv.Atoi(vals[0])
			if err != nil || n < 0 || len(vals) > 1 {
				writeError(w, invalid(fmt.Sprintf("Query parameter '%s' must be one non-negative integer.", k)))
				return
			}
			if k == "limit" {
				limit = n
			} else {
				offset = n
			}
		default:
			if len(vals) > 1 {
				writeError(w, badRequest(fmt.Sprintf("Filter '%s' is given more than once.", k)))
				return
			}
			filters[k] = vals[0]
		}
	}
	res, err := g.eng.SelectRowsHeld(r.Context(), r.PathValue("db"), r.PathValue("table"), filters, limit, offset)
	defer res.Release()
	note(w, engine.KindRead, resultRows(res))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeResult(w, res, false)
}

func (g *Gateway) schema(w http.ResponseWriter, r *http.Request) {
	s, err := g.eng.Schema(r.Context(), r.PathValue("db"), r.URL.Query().Get("table"))
	if err != nil {
		g.fail(w, r, err)
		return
	}
	g.writeJSON(w, r, http.StatusOK, wireSchema(*s))
}
