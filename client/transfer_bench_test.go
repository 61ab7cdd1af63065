package client_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// benchTable fills a 100,000-row table (about 12 MB as CSV).
func benchTable(b *testing.B, c *client.Client) {
	spawn(b, c, "bench")
	exec(b, c, "bench", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER)")
	exec(b, c, "bench", "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s LIMIT 100000) "+
		"INSERT INTO t SELECT x, printf('item-%08d-with-some-padding-text', x), x * 0.25, x % 97 FROM s")
}

// BenchmarkExportCSV measures end-to-end export throughput through the
// client (embedded transport), bytes discarded.
func BenchmarkExportCSV(b *testing.B) {
	c := embeddedClient(b)
	benchTable(b, c)
	b.ResetTimer()
	for b.Loop() {
		n, err := c.ExportCSV(ctxT(b), "bench", "t", io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(n)
	}
}

// BenchmarkImportCSV measures the streamed upload and insert of the same
// table into a fresh table each round.
func BenchmarkImportCSV(b *testing.B) {
	c := embeddedClient(b)
	benchTable(b, c)
	var csv bytes.Buffer
	if _, err := c.ExportCSV(ctxT(b), "bench", "t", &csv); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(csv.Len()))
	for b.Loop() {
		b.StopTimer()
		exec(b, c, "bench", "DROP TABLE IF EXISTS copy")
		b.StartTimer()
		res, err := c.ImportCSV(ctxT(b), "bench", bytes.NewReader(csv.Bytes()), client.ImportCSVOptions{Table: "copy"})
		if err != nil || res.RowsImported != 100000 {
			b.Fatalf("%+v, %v", res, err)
		}
	}
}
