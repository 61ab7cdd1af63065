package client_test

import (
	"fmt"
	"testing"

	"github.com/dbforge/dbforge/client"
)

const benchRows = 10_000

// seedBench creates a table of benchRows rows.
func seedBench(b *testing.B, c *client.Client) {
	b.Helper()
	spawn(b, c, "bench")
	exec(b, c, "bench", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, qty INTEGER)")
	batch := make([]map[string]any, 0, 1000)
	for i := 1; i <= benchRows; i++ {
		batch = append(batch, map[string]any{"id": i, "name": fmt.Sprintf("item-%05d", i), "price": float64(i) / 4, "qty": i % 97})
		if len(batch) == cap(batch) {
			if _, err := c.InsertRows(ctxT(b), "bench", "items", batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// benchPointSelect reads one row by primary key per iteration.
func benchPointSelect(b *testing.B, c *client.Client) {
	seedBench(b, c)
	ctx := ctxT(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := i%benchRows + 1
		i++
		res, err := c.Query(ctx, "bench", client.QueryRequest{SQL: "SELECT * FROM items WHERE id = ?", Params: []any{id}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rows) != 1 || res.Rows[0][0] != int64(id) {
			b.Fatalf("id %d: rows %v", id, res.Rows)
		}
	}
}

// BenchmarkPointSelect is the same point SELECT by primary key through the
// client, in-process (embedded transport) and over loopback HTTP.
func BenchmarkPointSelect(b *testing.B) {
	b.Run("embedded", func(b *testing.B) { benchPointSelect(b, embeddedClient(b)) })
	b.Run("loopback", func(b *testing.B) { benchPointSelect(b, loopbackClient(b)) })
}
