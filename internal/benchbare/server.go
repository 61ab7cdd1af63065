package benchbare

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sync"

	"github.com/dbforge/dbforge/internal/dbname"
)

// Server is the bare contender of `make bench-http`: the same work as the
// gateway's data routes done the most direct way a careful Go programmer
// would — an idle pool as large as the open pool, each distinct statement
// prepared once and reused, one writer connection with synchronous=NORMAL.
// Still no auth, no limits, no logs, no audit.
type Server struct {
	read  *sql.DB
	write *sql.DB

	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	write bool
	sql   string
}

// NewServer opens (creating it when absent) dir/bench.db with readers
// connections for reads and one for writes.
func NewServer(dir string, readers int) (*Server, error) {
	path := filepath.Join(dir, "bench.db")
	read, err := Open(path, readers)
	if err != nil {
		return nil, err
	}
	write, err := Open(path, 1)
	if err != nil {
		read.Close()
		return nil, err
	}
	return &Server{read: read, write: write, stmts: map[stmtKey]*sql.Stmt{}}, nil
}

// Close closes the statements and both pools.
func (s *Server) Close() error {
	for _, st := range s.stmts {
		st.Close()
	}
	s.read.Close()
	return s.write.Close()
}

// stmt returns the prepared statement for query on the reader or writer pool.
func (s *Server) stmt(write bool, query string) (*sql.Stmt, error) {
	k := stmtKey{write, query}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[k]; ok {
		return st, nil
	}
	db := s.read
	if write {
		db = s.write
	}
	st, err := db.Prepare(query)
	if err != nil {
		return nil, err
	}
	s.stmts[k] = st
	return st, nil
}

// Handler serves
//
//	POST /query                  {"sql","params"} → {"data": [...], "rows_affected"} (reader pool)
//	POST /exec                   {"sql","params"} → {"rows_affected", "last_insert_id"} (the writer)
//	GET  /tables/{table}/rows?id= → the row with that id, as /query answers
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /query", func(w http.ResponseWriter, r *http.Request) {
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		st, err := s.stmt(false, req.SQL)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.answerRows(w, r, st, req.Params...)
	})
	mux.HandleFunc("POST /exec", func(w http.ResponseWriter, r *http.Request) {
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		st, err := s.stmt(true, req.SQL)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, err := st.ExecContext(r.Context(), req.Params...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n, _ := res.RowsAffected()
		id, _ := res.LastInsertId()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int64{"rows_affected": n, "last_insert_id": id})
	})
	mux.HandleFunc("GET /tables/{table}/rows", func(w http.ResponseWriter, r *http.Request) {
		table := r.PathValue("table")
		if !dbname.Valid(table) {
			http.Error(w, "bad table name", http.StatusBadRequest)
			return
		}
		st, err := s.stmt(false, `SELECT * FROM "`+table+`" WHERE id = ?`)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.answerRows(w, r, st, r.URL.Query().Get("id"))
	})
	return mux
}

// answerRows runs st and writes its rows as the bare Handler does.
func (s *Server) answerRows(w http.ResponseWriter, r *http.Request, st *sql.Stmt, args ...any) {
	rows, err := st.QueryContext(r.Context(), args...)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}
