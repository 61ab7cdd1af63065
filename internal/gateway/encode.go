package gateway

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// maxPooledBuffer keeps one huge result from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// bufPool recycles response buffers; one per Gateway.
type bufPool struct{ p sync.Pool }

func (bp *bufPool) get() *[]byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

func (bp *bufPool) put(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		bp.p.Put(b)
	}
}

// appendMillis appends a duration in milliseconds, with a fraction.
func appendMillis(b []byte, d time.Duration) []byte {
	return jsonvalue.AppendFloat(b, math.Round(float64(d)/1e3)/1e3)
}

// appendResult encodes a query result. Row results carry MK1's data,
// rows_affected (rows returned) and "message": null plus columns,
// row_count, has_more and execution_time_ms; asRows puts arrays in "rows"
// instead of objects in "data". Other statements carry MK1's
// "data": null, message and rows_affected, plus last_insert_id. MK1
// sends both keys on every answer and its clients index them.
func appendResult(b []byte, res *engine.Result, asRows bool) []byte {
	if !res.Returning {
		b = append(b, `{"data":null,"message":"Query executed successfully.","rows_affected":`...)
		b = strconv.AppendInt(b, res.RowsAffected, 10)
		b = append(b, `,"last_insert_id":`...)
		b = strconv.AppendInt(b, res.LastInsertID, 10)
		b = append(b, `,"execution_time_ms":`...)
		b = appendMillis(b, res.Elapsed)
		return append(b, '}')
	}
	b = append(b, `{"columns":[`...)
	for i, c := range res.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonvalue.AppendString(b, c.Name)
		b = append(b, `,"type":`...)
		b = jsonvalue.AppendString(b, c.Type)
		b = append(b, '}')
	}
	if asRows {
		b = append(b, `],"rows":[`...)
		b = appendRowArrays(b, res.Rows)
	} else {
		b = append(b, `],"data":[`...)
		b = appendRowObjects(b, res.Columns, res.Rows)
	}
	n := int64(len(res.Rows))
	b = append(b, `],"rows_affected":`...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `,"row_count":`...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `,"message":null,"has_more":`...)
	b = strconv.AppendBool(b, res.HasMore)
	b = append(b, `,"execution_time_ms":`...)
	b = appendMillis(b, res.Elapsed)
	return append(b, '}')
}

func appendRowArrays(b []byte, rows [][]any) []byte {
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			b = jsonvalue.AppendValue(b, v)
		}
		b = append(b, ']')
	}
	return b
}

// appendRowObjects writes rows as objects whose keys keep column order.
// Keys are escaped once per result, not once per row.
func appendRowObjects(b []byte, cols []engine.Column, rows [][]any) []byte {
	if len(rows) == 0 {
		return b
	}
	var keyBuf [256]byte
	keys := keyBuf[:0]
	var ends [16]int
	end := ends[:0]
	for _, c := range cols {
		keys = jsonvalue.AppendString(keys, c.Name)
		keys = append(keys, ':')
		end = append(end, len(keys))
	}
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		prev := 0
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			if j < len(end) {
				b = append(b, keys[prev:end[j]]...)
				prev = end[j]
			} else { // more values than columns: never from the engine, still valid JSON
				b = jsonvalue.AppendString(b, strconv.Itoa(j))
				b = append(b, ':')
			}
			b = jsonvalue.AppendValue(b, v)
		}
		b = append(b, '}')
	}
	return b
}
