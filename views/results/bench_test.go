package results

import (
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

const benchRows = 1_000_000

// bigResult is a pane showing a 1,000,000-row, 20-column result whose pages
// are made on demand by synth, as the root would fetch them.
func bigResult(b *testing.B, w, h int) Model {
	m := newTestModel(b, w, h)
	serve(&m, m.SetResult(1, "select * from big", &client.QueryResult{Columns: synthCols(20), Rows: synth(0, PageSize, 20), HasMore: true}))
	serve(&m, m.SetTotal(1, benchRows))
	return m
}

// serve answers the FetchPage actions of cmd like the root would.
func serve(m *Model, cmd tea.Cmd) {
	for _, f := range only[action.FetchPage](msgs(cmd)) {
		end := min(f.Offset+f.Limit, benchRows)
		serve(m, m.SetPage(f.QueryID, f.Offset, synth(f.Offset, end-f.Offset, 20), end < benchRows))
	}
}

// BenchmarkKeystrokeView is one j press plus the View that follows, deep
// in a 1M-row result (the 16 ms frame budget is the bar).
func BenchmarkKeystrokeView(b *testing.B) {
	for _, size := range [][2]int{{78, 10}, {116, 36}} {
		b.Run(sizeName(size), func(b *testing.B) {
			m := bigResult(b, size[0], size[1])
			m.row = benchRows / 2
			m.clamp()
			serve(&m, m.Fetch())
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := keyDown
				if i%2 == 1 {
					k = keyUp
				}
				var cmd tea.Cmd
				m, cmd = m.Update(k)
				serve(&m, cmd)
				_ = m.View()
			}
		})
	}
}

// BenchmarkPageDownView pages through the result: each step may need a
// new page (generated and stored) before the View.
func BenchmarkPageDownView(b *testing.B) {
	m := bigResult(b, 116, 36)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m.row >= benchRows-1 {
			m.row, m.top = 0, 0
			m.clamp()
		}
		var cmd tea.Cmd
		m, cmd = m.Update(keyPgDn)
		serve(&m, cmd)
		_ = m.View()
	}
}

// BenchmarkScrollMemory scrolls through all 1M rows page-down by page-down
// and reports what stays in memory: the cache's estimate and the live heap
// growth after a GC, both bounded by MaxPages pages, not by the rows seen.
func BenchmarkScrollMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		m := bigResult(b, 116, 36)
		before := heapInuse()
		steps := 0
		for m.row < benchRows-1 {
			var cmd tea.Cmd
			m, cmd = m.Update(keyPgDn)
			serve(&m, cmd)
			steps++
		}
		after := heapInuse()
		b.ReportMetric(float64(len(m.cache.pages)), "pages-cached")
		b.ReportMetric(float64(m.cache.bytes()), "cached-B")
		b.ReportMetric(float64(after)-float64(before), "heap-growth-B")
		b.ReportMetric(float64(steps), "pgdn-presses")
		runtime.KeepAlive(m)
	}
}

// BenchmarkFrameDiff compares two consecutive frames line by line, the
// unit a diffing terminal renderer repaints: a cursor move inside the
// screen and a one-row scroll, against the bytes of a full repaint.
func BenchmarkFrameDiff(b *testing.B) {
	for _, tc := range []struct {
		name  string
		start int
	}{{"cursor-move", 10}, {"one-row-scroll", 40}} {
		b.Run(tc.name, func(b *testing.B) {
			m := bigResult(b, 116, 36)
			for i := 0; i < b.N; i++ {
				m.row, m.top = tc.start, 0
				if tc.start >= m.bodyHeight() {
					m.top = tc.start - m.bodyHeight() + 1
				}
				m.clamp()
				before := m.View()
				m2, cmd := m.Update(keyDown)
				serve(&m2, cmd)
				after := m2.View()
				changed, changedBytes := diffLines(before, after)
				b.ReportMetric(float64(changed), "changed-lines")
				b.ReportMetric(float64(changedBytes), "changed-B")
				b.ReportMetric(float64(len(after)), "frame-B")
			}
		})
	}
}

func diffLines(a, b string) (n, bytes int) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range bl {
		if i >= len(al) || al[i] != bl[i] {
			n++
			bytes += len(bl[i])
		}
	}
	return n, bytes
}

func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func sizeName(s [2]int) string {
	return strings.Join([]string{itoa(s[0]), itoa(s[1])}, "x")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}
