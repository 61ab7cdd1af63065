// Package mk1fake is a stand-in for the MK1 gateway (the FastAPI service
// DB-Forge replaces) for tests of our client, CLI and TUI against it. It
// serves MK1's routes with MK1's answers as docs/API.md describes them
// and MK1's source produces them, over real SQLite files:
//
//   - every /admin and /api route needs the X-API-Key header (MK1 creates a
//     key on first start): missing → 401, wrong → 401;
//   - spawn answers 201 whether the database is new or already exists,
//     with the message telling which; prune removes the "container" but keeps
//     the file, so data routes still answer and a later spawn is a new one;
//   - /query returns rows only for SQL whose text starts with SELECT
//     (MK1 tests sql.strip().upper().startswith("SELECT")); anything else
//     runs, its rows are dropped, and the answer is "Query executed
//     successfully." with Python's rowcount (-1 except for DML);
//   - answers carry explicit nulls ("message": null on rows, "data": null
//     on writes), Python's float text (6363.0), and pydantic v2's 422 shape;
//   - no /health, /metrics, /docs extensions or any other DB-Forge route: 404.
//
// Only tests import it.
package mk1fake

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	_ "modernc.org/sqlite"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// Key is the API key the stand-in accepts: MK1's fixed development key.
const Key = "development-api-key-12345"

// namePattern is MK1's is_valid_db_name.
var namePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

type server struct {
	dir string

	mu         sync.Mutex
	dbs        map[string]*sql.DB // open files, by name
	containers map[string]string  // spawned and not pruned: name → container id
	requests   map[string]int     // "METHOD /path" counts, as MK1's stats middleware keeps
	errors     map[string]int
	total      int
	errTotal   int
}

// New starts the stand-in on a loopback port; it stops when the test ends.
func New(t testing.TB) *httptest.Server {
	m := &server{dir: t.TempDir(), dbs: map[string]*sql.DB{}, containers: map[string]string{},
		requests: map[string]int{}, errors: map[string]int{}}
	t.Cleanup(func() {
		for _, db := range m.dbs {
			db.Close()
		}
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { detail(w, 404, "Not Found") })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		write(w, 200, `{"message":"Praetorian DB-Forge is online."}`)
	})
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		detail(w, 401, "Login endpoint deprecated. Use API key authentication with X-API-Key header.")
	})
	protected := map[string]http.HandlerFunc{
		"POST /admin/databases/spawn/{db}":      m.spawn,
		"POST /admin/databases/prune/{db}":      m.prune,
		"GET /admin/databases":                  m.list,
		"GET /admin/gateway/stats":              m.stats,
		"GET /admin/discovery":                  m.discovery,
		"POST /api/db/{db}/query":               m.query,
		"POST /api/db/{db}/tables":              m.createTable,
		"POST /api/db/{db}/tables/{table}/rows": m.insertRows,
		"GET /api/db/{db}/tables/{table}/rows":  m.selectRows,
	}
	for pattern, h := range protected {
		mux.HandleFunc(pattern, authed(h))
	}
	srv := httptest.NewServer(m.counting(mux))
	t.Cleanup(srv.Close)
	return srv
}

// counting is MK1's stats middleware: requests by "METHOD path", errors by
// status code.
func (m *server) counting(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		m.mu.Lock()
		defer m.mu.Unlock()
		m.total++
		m.requests[r.Method+" "+r.URL.Path]++
		if sw.status >= 400 {
			m.errTotal++
			m.errors[strconv.Itoa(sw.status)]++
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// authed is MK1's verify_api_key_header dependency.
func authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch key := r.Header.Get("X-API-Key"); {
		case key == "":
			w.Header().Set("WWW-Authenticate", "ApiKeyHeader")
			detail(w, 401, "Missing API Key. Please provide a valid API key in the X-API-Key header.")
		case key != Key:
			w.Header().Set("WWW-Authenticate", "ApiKeyHeader")
			detail(w, 401, "Invalid API Key.")
		default:
			h(w, r)
		}
	}
}

func write(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func detail(w http.ResponseWriter, status int, msg string) {
	write(w, status, `{"detail":`+jsonString(msg)+`}`)
}

// invalid is pydantic v2's validation error for one field.
func invalid(w http.ResponseWriter, loc []string, typ, msg string) {
	l, _ := json.Marshal(loc)
	write(w, 422, fmt.Sprintf(`{"detail":[{"type":%s,"loc":%s,"msg":%s,"input":null}]}`, jsonString(typ), l, jsonString(msg)))
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// file returns the open database of an existing file, as MK1's
// db_file_exists check does (the file outlives prune); nil after a 404.
func (m *server) file(w http.ResponseWriter, name string) *sql.DB {
	m.mu.Lock()
	defer m.mu.Unlock()
	if db := m.dbs[name]; db != nil {
		return db
	}
	detail(w, 404, "Database not found.")
	return nil
}

// named is MK1's check of a database name then its lookup: 400 for a
// malformed name, 404 for an unknown one; nil when it has answered.
func (m *server) named(w http.ResponseWriter, name string) *sql.DB {
	if !namePattern.MatchString(name) {
		detail(w, 400, "Invalid database name.")
		return nil
	}
	return m.file(w, name)
}

func (m *server) spawn(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("db")
	if !namePattern.MatchString(name) {
		detail(w, 400, "Invalid database name.")
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if id, ok := m.containers[name]; ok {
		write(w, 201, spawnBody("Database instance already exists and is running.", name, id))
		return
	}
	if m.dbs[name] == nil {
		path := filepath.Join(m.dir, name+".db")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND, 0o644) // open(db_path, 'a')
		if err == nil {
			f.Close()
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			detail(w, 500, err.Error())
			return
		}
		db.SetMaxOpenConns(1)
		m.dbs[name] = db
	}
	var b [32]byte // a Docker container id: 64 hex digits
	rand.Read(b[:])
	m.containers[name] = hex.EncodeToString(b[:])
	write(w, 201, spawnBody("Database instance spawned successfully.", name, m.containers[name]))
}

func spawnBody(msg, name, id string) string {
	return fmt.Sprintf(`{"message":%s,"db_name":%s,"container_id":%s}`, jsonString(msg), jsonString(name), jsonString(id))
}

func (m *server) prune(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("db")
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.containers[name]; !ok {
		detail(w, 404, "Database instance not found.")
		return
	}
	delete(m.containers, name)
	write(w, 200, fmt.Sprintf(`{"message":"Database instance pruned successfully.","db_name":%s}`, jsonString(name)))
}

func (m *server) sortedContainers() []string {
	names := make([]string, 0, len(m.containers))
	for name := range m.containers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (m *server) list(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	parts := []string{}
	for _, name := range m.sortedContainers() {
		parts = append(parts, fmt.Sprintf(`{"name":%s,"container_id":%s,"status":"running"}`, jsonString(name), jsonString(m.containers[name])))
	}
	write(w, 200, "["+strings.Join(parts, ",")+"]")
}

func (m *server) discovery(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	parts := []string{}
	for _, name := range m.sortedContainers() {
		parts = append(parts, fmt.Sprintf(`{"db_name":%s,"status":"running"}`, jsonString(name)))
	}
	write(w, 200, "["+strings.Join(parts, ",")+"]")
}

func (m *server) stats(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	req, _ := json.Marshal(m.requests)
	errs, _ := json.Marshal(m.errors)
	write(w, 200, fmt.Sprintf(`{"uptime_seconds":1.5,"total_requests":%d,"total_errors":%d,"requests_by_endpoint":%s,"errors_by_type":%s}`,
		m.total, m.errTotal, req, errs))
}

// queryBody is MK1's RawQueryRequest: sql (required string) and params
// (an optional list).
type queryBody struct {
	SQL    *string         `json:"sql"`
	Params json.RawMessage `json:"params"`
}

// Handlers check in MK1's order: FastAPI validates the body (422) before
// the handler runs, which checks the name (400) and then the file (404).

func (m *server) query(w http.ResponseWriter, r *http.Request) {
	var req queryBody
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	if err := d.Decode(&req); err != nil {
		invalid(w, []string{"body"}, "json_invalid", "JSON decode error")
		return
	}
	if req.SQL == nil {
		invalid(w, []string{"body", "sql"}, "missing", "Field required")
		return
	}
	args, ok := listParams(req.Params)
	if !ok {
		invalid(w, []string{"body", "params"}, "list_type", "Input should be a valid list")
		return
	}
	db := m.named(w, r.PathValue("db"))
	if db == nil {
		return
	}
	m.execute(w, r, db, *req.SQL, args)
}

// execute is MK1's execute_query.
func (m *server) execute(w http.ResponseWriter, r *http.Request, db *sql.DB, text string, args []any) {
	if len(sqltext.Split(text)) > 1 {
		detail(w, 400, "SQL Error: You can only execute one statement at a time.")
		return
	}
	ctx := r.Context()
	conn, err := db.Conn(ctx)
	if err != nil {
		detail(w, 500, err.Error())
		return
	}
	defer conn.Close()
	isSelect := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(text)), "SELECT")
	rows, err := conn.QueryContext(ctx, text, args...)
	if err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	if !isSelect {
		for rows.Next() { // run it; its rows are dropped
		}
		err := rows.Err()
		rows.Close()
		if err != nil {
			detail(w, 400, "SQL Error: "+err.Error())
			return
		}
		count := int64(-1)
		if isDML(text) {
			conn.QueryRowContext(ctx, "SELECT changes()").Scan(&count)
		}
		write(w, 200, fmt.Sprintf(`{"data":null,"rows_affected":%d,"message":"Query executed successfully."}`, count))
		return
	}
	body, n, err := objects(rows)
	if err != nil {
		if err == errSerialization {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(500)
			w.Write([]byte("Internal Server Error"))
			return
		}
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	write(w, 200, fmt.Sprintf(`{"data":%s,"rows_affected":%d,"message":null}`, body, n))
}

// isDML is Python sqlite3's test for statements whose rowcount it keeps.
func isDML(text string) bool {
	t := strings.ToUpper(strings.TrimSpace(text))
	for _, kw := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
		if strings.HasPrefix(t, kw) {
			return true
		}
	}
	return false
}

// listParams binds a JSON list by position; null or absent is no
// parameters; anything else fails pydantic's List[Any].
func listParams(raw json.RawMessage) ([]any, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var list []any
	if err := d.Decode(&list); err != nil {
		return nil, false
	}
	for i, a := range list {
		list[i] = pyValue(a)
	}
	return list, true
}

// pyValue is the Python value of a decoded JSON value, as sqlite3 binds it.
func pyValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

func (m *server) createTable(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TableName *string `json:"table_name"`
		Columns   *[]struct {
			Name       *string `json:"name"`
			Type       *string `json:"type"`
			PrimaryKey bool    `json:"primary_key"`
			NotNull    bool    `json:"not_null"`
			Default    any     `json:"default"`
		} `json:"columns"`
	}
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	if err := d.Decode(&req); err != nil || req.TableName == nil || req.Columns == nil {
		invalid(w, []string{"body", "table_name"}, "missing", "Field required")
		return
	}
	for _, c := range *req.Columns {
		if c.Name == nil || c.Type == nil {
			invalid(w, []string{"body", "columns"}, "missing", "Field required")
			return
		}
	}
	db := m.named(w, r.PathValue("db"))
	if db == nil {
		return
	}
	// MK1 pastes names, types and defaults into the SQL text as they come
	var defs []string
	for _, c := range *req.Columns {
		def := *c.Name + " " + *c.Type
		if c.PrimaryKey {
			def += " PRIMARY KEY"
		}
		if c.NotNull {
			def += " NOT NULL"
		}
		if c.Default != nil {
			def += " DEFAULT " + pyStr(c.Default)
		}
		defs = append(defs, def)
	}
	if _, err := db.ExecContext(r.Context(), "CREATE TABLE "+*req.TableName+" ("+strings.Join(defs, ", ")+")"); err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	write(w, 201, `{"message":`+jsonString("Table '"+*req.TableName+"' created successfully.")+`}`)
}

// pyStr is Python's str() of a JSON value pasted into SQL.
func pyStr(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		if f, err := x.Float64(); err == nil && strings.ContainsAny(string(x), ".eE") {
			return pyFloat(f)
		}
		return string(x)
	}
	return fmt.Sprint(v)
}

func (m *server) insertRows(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Rows *[]map[string]any `json:"rows"`
	}
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	if err := d.Decode(&req); err != nil || req.Rows == nil {
		invalid(w, []string{"body", "rows"}, "missing", "Field required")
		return
	}
	name, table := r.PathValue("db"), r.PathValue("table")
	db := m.named(w, name)
	if db == nil {
		return
	}
	rows := *req.Rows
	if len(rows) == 0 {
		detail(w, 400, "No rows provided for insertion.")
		return
	}
	var cols []string
	for k := range rows[0] {
		cols = append(cols, k)
	}
	slices.Sort(cols) // Python keeps the JSON order; any fixed order binds the same
	text := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	tx, err := db.BeginTx(r.Context(), nil)
	if err != nil {
		detail(w, 500, err.Error())
		return
	}
	defer tx.Rollback()
	total := int64(0)
	for _, row := range rows {
		if len(row) != len(cols) {
			detail(w, 400, "All rows must have the same columns.")
			return
		}
		args := make([]any, len(cols))
		for i, c := range cols {
			v, ok := row[c]
			if !ok {
				detail(w, 400, "All rows must have the same columns.")
				return
			}
			args[i] = pyValue(v)
		}
		res, err := tx.ExecContext(r.Context(), text, args...)
		if err != nil {
			detail(w, 400, "SQL Error: "+err.Error())
			return
		}
		n, _ := res.RowsAffected()
		total += n
	}
	if err := tx.Commit(); err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	write(w, 201, fmt.Sprintf(`{"message":"Rows inserted successfully.","rows_affected":%d}`, total))
}

// selectRows is MK1's table read as the contract describes it: ?limit=
// (pasted into the SQL), ?offset= (only with a limit) and equality filters
// for every other parameter, the table name pasted. (The real MK1 declares
// the filters as **query_params, which FastAPI takes for one required
// query parameter named "query_params", so there the route answers 422;
// our client never relies on it against MK1.)
func (m *server) selectRows(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, k := range []string{"limit", "offset"} {
		if v := q.Get(k); v != "" {
			if _, err := strconv.Atoi(v); err != nil {
				invalid(w, []string{"query", k}, "int_parsing", "Input should be a valid integer, unable to parse string as an integer")
				return
			}
		}
	}
	db := m.named(w, r.PathValue("db"))
	if db == nil {
		return
	}
	text := "SELECT * FROM " + r.PathValue("table")
	var conds []string
	var args []any
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "limit" || k == "offset" {
			continue
		}
		conds = append(conds, k+" = ?")
		args = append(args, q.Get(k))
	}
	if len(conds) > 0 {
		text += " WHERE " + strings.Join(conds, " AND ")
	}
	if l := q.Get("limit"); l != "" {
		text += " LIMIT " + l
		if o := q.Get("offset"); o != "" && o != "0" {
			text += " OFFSET " + o
		}
	}
	m.execute(w, r, db, text, args)
}

var errSerialization = fmt.Errorf("response not serializable")

// objects writes rows as Python dicts serialized by pydantic: keys in
// column order (a repeated name keeps its first place and last value),
// Python's float text, BLOBs as UTF-8 text (invalid UTF-8 or an infinite
// float cannot be serialized: a 500).
func objects(rows *sql.Rows) (string, int, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", 0, err
	}
	var keys []string
	slot := make([]int, len(cols)) // column → index in keys
	for i, c := range cols {
		j := slices.Index(keys, c)
		if j < 0 {
			j = len(keys)
			keys = append(keys, c)
		}
		slot[i] = j
	}
	var b strings.Builder
	b.WriteByte('[')
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", 0, err
		}
		out := make([]string, len(keys))
		for i, v := range vals {
			s, ok := pyJSON(v)
			if !ok {
				return "", 0, errSerialization
			}
			out[slot[i]] = s
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonString(k) + ":" + out[i])
		}
		b.WriteByte('}')
		n++
	}
	b.WriteByte(']')
	return b.String(), n, rows.Err()
}

func pyJSON(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "null", true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", false
		}
		return pyFloat(x), true
	case []byte:
		if !utf8.Valid(x) {
			return "", false
		}
		return jsonString(string(x)), true
	case string:
		return jsonString(x), true
	}
	j, _ := json.Marshal(v)
	return string(j), true
}

// pyFloat is Python's repr of a float: positional from 1e-4 up to 1e16,
// with ".0" when whole; exponent form (1e+16, 1.5e-05) outside.
func pyFloat(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e16 || a < 1e-4 {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
