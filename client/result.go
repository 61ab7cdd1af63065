package client

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// msgExecuted is the message of a statement that returned no rows.
const msgExecuted = "Query executed successfully."

// wireResult holds every shape a query answer can take: DB-Forge's rows
// (arrays) or data (objects) with columns, or MK1's bare data objects; or
// the message of a statement that returned no rows.
type wireResult struct {
	Columns         []Column            `json:"columns"`
	Rows            [][]json.RawMessage `json:"rows"`
	Data            []json.RawMessage   `json:"data"`
	Message         *string             `json:"message"`
	RowsAffected    *int64              `json:"rows_affected"`
	LastInsertID    *int64              `json:"last_insert_id"`
	RowCount        *int                `json:"row_count"`
	HasMore         bool                `json:"has_more"`
	ExecutionTimeMS float64             `json:"execution_time_ms"`
}

// decodeResult parses a query (or table read) answer into a QueryResult
// whose Rows are in column order whatever shape the server sent.
func decodeResult(body []byte) (*QueryResult, error) {
	var w wireResult
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("decoding query result: %w", err)
	}
	res := &QueryResult{HasMore: w.HasMore, ExecutionTimeMS: w.ExecutionTimeMS}
	if w.RowsAffected != nil {
		res.RowsAffected = *w.RowsAffected
	}
	if w.LastInsertID != nil {
		res.LastInsertID = *w.LastInsertID
	}
	switch {
	case w.Rows != nil:
		res.Columns = w.Columns
		if res.Columns == nil {
			res.Columns = []Column{}
		}
		res.Rows = make([][]any, len(w.Rows))
		for i, raw := range w.Rows {
			row := make([]any, len(raw))
			for j, v := range raw {
				var err error
				if row[j], err = decodeValue(v); err != nil {
					return nil, fmt.Errorf("row %d, column %d: %w", i+1, j+1, err)
				}
			}
			res.Rows[i] = row
		}
	case w.Data != nil:
		cols, rows, err := objectsToRows(w.Columns, w.Data)
		if err != nil {
			return nil, err
		}
		res.Columns, res.Rows = cols, rows
	default:
		res.Message = msgExecuted
		if w.Message != nil && *w.Message != "" {
			res.Message = *w.Message
		}
		return res, nil
	}
	res.RowCount = len(res.Rows)
	if w.RowCount != nil {
		res.RowCount = *w.RowCount
	}
	return res, nil
}

// objectsToRows turns row objects into arrays in column order. With known
// columns (DB-Forge) each key is matched by position first, then by name, so
// duplicate column names still land right. Without them (MK1) the order is
// the key order of the JSON text, first seen first, and each column's type
// is the storage class of its first non-null value.
func objectsToRows(cols []Column, data []json.RawMessage) ([]Column, [][]any, error) {
	known := cols != nil
	if !known {
		cols = []Column{}
	}
	index := make(map[string]int, len(cols))
	for i := len(cols) - 1; i >= 0; i-- {
		index[cols[i].Name] = i
	}
	rows := make([][]any, 0, len(data))
	for n, raw := range data {
		row := make([]any, len(cols))
		pos := 0
		err := eachMember(raw, func(key string, val json.RawMessage) error {
			v, err := decodeValue(val)
			if err != nil {
				return fmt.Errorf("column %q: %w", key, err)
			}
			j := -1
			switch i, ok := index[key]; {
			case pos < len(cols) && cols[pos].Name == key:
				j = pos
			case ok:
				j = i
			case known:
				return fmt.Errorf("column %q is not in the result's columns", key)
			default:
				cols = append(cols, Column{Name: key})
				j = len(cols) - 1
				index[key] = j
				for k := range rows { // earlier rows lacked the key
					rows[k] = append(rows[k], nil)
				}
			}
			for len(row) <= j {
				row = append(row, nil)
			}
			row[j] = v
			if !known && cols[j].Type == "" {
				cols[j].Type = jsonvalue.StorageClass(v)
			}
			pos++
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("row %d: %w", n+1, err)
		}
		rows = append(rows, row)
	}
	return cols, rows, nil
}

// eachMember walks the members of one JSON object in text order.
func eachMember(raw json.RawMessage, fn func(key string, val json.RawMessage) error) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return fmt.Errorf("want an object, got %s", bytes.TrimSpace(raw)[:1])
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := d.Decode(&val); err != nil {
			return err
		}
		if err := fn(key, val); err != nil {
			return err
		}
	}
	_, err = d.Token()
	return err
}
