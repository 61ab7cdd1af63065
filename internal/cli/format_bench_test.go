package cli

import (
	"bytes"
	"fmt"
	"testing"
)

// benchGrid is a page of 1000 rows of mixed values, the default row limit.
func benchGrid() grid {
	g := grid{cols: []string{"id", "name", "score", "note", "img"}}
	for i := range 1000 {
		var note any
		if i%3 != 0 {
			note = fmt.Sprintf("note %d with some text", i)
		}
		g.rows = append(g.rows, []any{int64(i), fmt.Sprintf("user-%04d", i), float64(i) * 1.5, note, []byte{1, 2, 3}})
	}
	return g
}

func benchFormat(b *testing.B, format string) {
	g := benchGrid()
	p := &printer{format: format}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := p.render(&buf, g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderTable1000(b *testing.B)    { benchFormat(b, fmtTable) }
func BenchmarkRenderJSON1000(b *testing.B)     { benchFormat(b, fmtJSON) }
func BenchmarkRenderCSV1000(b *testing.B)      { benchFormat(b, fmtCSV) }
func BenchmarkRenderMarkdown1000(b *testing.B) { benchFormat(b, fmtMarkdown) }
