// Package benchbare is the baseline the gateway's HTTP benchmarks compare
// against: the least a Go HTTP server can do to answer a SQL query over
// SQLite — decode the JSON body, query through database/sql, encode the rows
// with encoding/json. No auth, no stats, no limits.
package benchbare

import (
	"database/sql"
	"encoding/json"
	"net/http"

	_ "modernc.org/sqlite" // the driver the engine uses
)

// Open opens a SQLite file the way the engine does for reading: WAL and a
// busy timeout, with a pool of conns connections.
func Open(path string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

type request struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params"`
}

type response struct {
	Data         []map[string]any `json:"data"`
	RowsAffected int              `json:"rows_affected"`
}

// Handler answers POST {"sql", "params"} with {"data": [...], "rows_affected": n}.
func Handler(db *sql.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rows, err := db.QueryContext(r.Context(), req.SQL, req.Params...)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer rows.Close()
		writeRows(w, rows)
	})
}

// writeRows answers with every row as {"data": [...], "rows_affected": n},
// as a hand-written service would: encoding/json, one map per row.
func writeRows(w http.ResponseWriter, rows *sql.Rows) {
	cols, err := rows.Columns()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp := response{Data: []map[string]any{}}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			row[c] = vals[i]
		}
		resp.Data = append(resp.Data, row)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp.RowsAffected = len(resp.Data)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}
