package results

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

// TestExportProgressBar: while an export runs the footer is a bar with the
// share done and the rows; an unknown total shows rows only; the bar never
// shows full before the end, and goes away with EndExport.
func TestExportProgressBar(t *testing.T) {
	cols, rows := customers()
	for _, size := range [][2]int{{78, 10}, {118, 18}} {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows})
		m.SetExportProgress(420_000, 1_000_000)
		v := m.View()
		checkSize(t, v, w, h)
		last := ansi.Strip(v[strings.LastIndex(v, "\n")+1:])
		if !strings.Contains(last, "42% · 420,000 of 1,000,000 rows · ctrl+x cancels") || !strings.Contains(last, "█") || !strings.Contains(last, "░") {
			t.Fatalf("footer %q", last)
		}
		golden(t, fmt.Sprintf("export_progress_%dx%d", w, h), ansi.Strip(v)+"\n")
		m.SetExportProgress(1_000_002, 1_000_000)
		if last := ansi.Strip(m.View()); !strings.Contains(last, "99% · 1,000,000 of 1,000,000") {
			t.Fatalf("bar past the end: %q", last[strings.LastIndex(last, "\n")+1:])
		}
		m.SetExportProgress(5_000, 0)
		if last := ansi.Strip(m.View()); !strings.Contains(last, "5,000 rows · ctrl+x cancels") {
			t.Fatalf("unknown total: %q", last[strings.LastIndex(last, "\n")+1:])
		}
		m.EndExport()
		if strings.Contains(ansi.Strip(m.View()), "exporting") || m.Exporting() {
			t.Fatal("bar left after the end")
		}
	}
}
