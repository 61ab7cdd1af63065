package benchbare

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PGServer is the bare contender of `make bench-pg`: the routes of Server
// over PostgreSQL, done the direct way with pgx — one pool of conns
// connections (as large as a gateway database's owner pool), pgx's own
// statement cache (each distinct statement prepared once per connection),
// rows as one map each through encoding/json. No auth, no transaction per
// call, no statement_timeout, no limits, no logs.
type PGServer struct {
	pool *pgxpool.Pool
}

// NewPGServer connects a pool of conns connections to dsn.
func NewPGServer(ctx context.Context, dsn string, conns int32) (*PGServer, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns, cfg.MinConns = conns, conns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return &PGServer{pool: pool}, nil
}

// Close closes the pool.
func (s *PGServer) Close() { s.pool.Close() }

// Handler serves
//
//	POST /query {"sql","params"} → {"data": [...], "rows_affected": n}
//	POST /exec  {"sql","params"} → {"rows_affected": n}
//
// with $1-style placeholders.
func (s *PGServer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /query", func(w http.ResponseWriter, r *http.Request) {
		req, ok := decodePG(w, r)
		if !ok {
			return
		}
		rows, err := s.pool.Query(r.Context(), req.SQL, req.Params...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer rows.Close()
		writePGRows(w, rows)
	})
	mux.HandleFunc("POST /exec", func(w http.ResponseWriter, r *http.Request) {
		req, ok := decodePG(w, r)
		if !ok {
			return
		}
		tag, err := s.pool.Exec(r.Context(), req.SQL, req.Params...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int64{"rows_affected": tag.RowsAffected()})
	})
	return mux
}

// decodePG reads the request body. Numbers stay json.Number and become
// int64 when whole, as a careful service does: a float64 id is no bigint.
func decodePG(w http.ResponseWriter, r *http.Request) (request, bool) {
	var req request
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	if err := d.Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return req, false
	}
	for i, p := range req.Params {
		if n, ok := p.(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				req.Params[i] = v
			} else if f, err := n.Float64(); err == nil {
				req.Params[i] = f
			}
		}
	}
	return req, true
}

// writePGRows answers with every row as writeRows does.
func writePGRows(w http.ResponseWriter, rows pgx.Rows) {
	fields := rows.FieldDescriptions()
	resp := response{Data: []map[string]any{}}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		row := make(map[string]any, len(fields))
		for i, f := range fields {
			row[f.Name] = vals[i]
		}
		resp.Data = append(resp.Data, row)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp.RowsAffected = len(resp.Data)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}
