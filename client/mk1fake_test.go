package client_test

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
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	_ "modernc.org/sqlite"
)

// mk1Server stands in for the MK1 FastAPI gateway: only MK1's routes, only
// MK1's shapes (row objects in "data", no columns, errors as "detail"),
// backed by real SQLite files.
type mk1Server struct {
	t   testing.TB
	dir string
	mu  sync.Mutex
	dbs map[string]*sql.DB
	ids map[string]string
}

func newMK1(t testing.TB) *httptest.Server {
	m := &mk1Server{t: t, dir: t.TempDir(), dbs: map[string]*sql.DB{}, ids: map[string]string{}}
	t.Cleanup(func() {
		for _, db := range m.dbs {
			db.Close()
		}
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { detail(w, 404, "Not Found") })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeMK1(w, 200, `{"message":"Praetorian DB-Forge is online."}`)
	})
	mux.HandleFunc("POST /admin/databases/spawn/{db}", m.spawn)
	mux.HandleFunc("GET /admin/databases", m.list)
	mux.HandleFunc("POST /api/db/{db}/query", m.query)
	mux.HandleFunc("GET /api/db/{db}/tables/{table}/rows", m.rows)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeMK1(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func detail(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"detail": msg})
	writeMK1(w, status, string(b))
}

func (m *mk1Server) spawn(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("db")
	m.mu.Lock()
	defer m.mu.Unlock()
	if id, ok := m.ids[name]; ok {
		writeMK1(w, 200, fmt.Sprintf(`{"message":"Database instance already exists and is running.","db_name":%q,"container_id":%q}`, name, id))
		return
	}
	db, err := sql.Open("sqlite", filepath.Join(m.dir, name+".db"))
	if err != nil {
		detail(w, 500, err.Error())
		return
	}
	db.SetMaxOpenConns(1)
	var b [6]byte
	rand.Read(b[:])
	m.dbs[name], m.ids[name] = db, hex.EncodeToString(b[:])
	writeMK1(w, 201, fmt.Sprintf(`{"message":"Database instance spawned successfully.","db_name":%q,"container_id":%q}`, name, m.ids[name]))
}

func (m *mk1Server) list(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var parts []string
	for name, id := range m.ids {
		parts = append(parts, fmt.Sprintf(`{"name":%q,"container_id":%q,"status":"running"}`, name, id))
	}
	writeMK1(w, 200, "["+strings.Join(parts, ",")+"]")
}

func (m *mk1Server) db(w http.ResponseWriter, r *http.Request) *sql.DB {
	m.mu.Lock()
	defer m.mu.Unlock()
	db := m.dbs[r.PathValue("db")]
	if db == nil {
		detail(w, 404, "Database not found.")
	}
	return db
}

func (m *mk1Server) query(w http.ResponseWriter, r *http.Request) {
	db := m.db(w, r)
	if db == nil {
		return
	}
	var req struct {
		SQL    *string         `json:"sql"`
		Params json.RawMessage `json:"params"`
	}
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	if err := d.Decode(&req); err != nil || req.SQL == nil || *req.SQL == "" {
		writeMK1(w, 422, `{"detail":[{"loc":["body","sql"],"msg":"field required","type":"value_error.missing"}]}`)
		return
	}
	args, err := mk1Args(req.Params)
	if err != nil {
		detail(w, 400, err.Error())
		return
	}
	ctx := r.Context()
	conn, err := db.Conn(ctx)
	if err != nil {
		detail(w, 500, err.Error())
		return
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, *req.SQL, args...)
	if err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	cols, _ := rows.Columns()
	if len(cols) == 0 {
		rows.Close()
		var changes, last int64
		if err := conn.QueryRowContext(ctx, "SELECT changes(), last_insert_rowid()").Scan(&changes, &last); err != nil {
			detail(w, 500, err.Error())
			return
		}
		writeMK1(w, 200, fmt.Sprintf(`{"message":"Query executed successfully.","rows_affected":%d,"last_insert_id":%d}`, changes, last))
		return
	}
	body, n, err := mk1Objects(rows, cols)
	if err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	writeMK1(w, 200, fmt.Sprintf(`{"data":%s,"rows_affected":%d}`, body, n))
}

func (m *mk1Server) rows(w http.ResponseWriter, r *http.Request) {
	db := m.db(w, r)
	if db == nil {
		return
	}
	// MK1 pastes the table name; quoting here is only for the test's sake
	rows, err := db.QueryContext(r.Context(), `SELECT * FROM "`+r.PathValue("table")+`"`)
	if err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	cols, _ := rows.Columns()
	body, n, err := mk1Objects(rows, cols)
	if err != nil {
		detail(w, 400, "SQL Error: "+err.Error())
		return
	}
	writeMK1(w, 200, fmt.Sprintf(`{"data":%s,"rows_affected":%d}`, body, n))
}

// mk1Args binds a JSON list by position and an object by name.
func mk1Args(raw json.RawMessage) ([]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	conv := func(x any) any {
		if n, ok := x.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				return i
			}
			f, _ := n.Float64()
			return f
		}
		return x
	}
	var args []any
	switch x := v.(type) {
	case []any:
		for _, a := range x {
			args = append(args, conv(a))
		}
	case map[string]any:
		for k, a := range x {
			args = append(args, sql.Named(k, conv(a)))
		}
	}
	return args, nil
}

// mk1Objects writes rows as objects whose keys follow column order, as
// Python's dicts do, with Python's float formatting (6363.0).
func mk1Objects(rows *sql.Rows, cols []string) (string, int, error) {
	defer rows.Close()
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
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(c)
			b.Write(k)
			b.WriteByte(':')
			b.WriteString(pyJSON(vals[i]))
		}
		b.WriteByte('}')
		n++
	}
	b.WriteByte(']')
	return b.String(), n, rows.Err()
}

func pyJSON(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "null"
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case []byte:
		x2, _ := json.Marshal(string(x))
		return string(x2)
	default:
		j, _ := json.Marshal(x)
		return string(j)
	}
}
