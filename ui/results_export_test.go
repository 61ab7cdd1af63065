package ui

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
)

// exportKeys opens the Results export prompt and types path.
func (l *live) exportKeys(path string) {
	l.press(kp("alt+5"), kp("e"), kp("ctrl+u"))
	l.typeText(path)
	l.press(kp("enter"))
}

// TestResultsExportMillionRowsWithCancel exports a 1,000,000-row result
// from Results through the query export: ctrl+x stops it with nothing left
// on disk (no file, no temporary part); run again, it writes every row of
// the sorted result, byte-exact, with a progress bar while it runs.
func TestResultsExportMillionRowsWithCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	l := startLive(t, 120, 40, Options{Timeout: time.Minute}, "big", bigSetup)
	dir := t.TempDir()
	out := filepath.Join(dir, "big.csv")
	l.runInEditor("SELECT * FROM big", ctrl('r'))
	l.waitGrid("the first page", func() bool { return strings.Contains(l.gridText(), "row 1 ") })
	l.press(kp("alt+5"), kp("s"), kp("s")) // x descending
	l.waitGrid("descending", func() bool { return strings.Contains(l.m.grid.model().Title(), "sorted by x ↓") })

	before := l.api.count()
	l.exportKeys(out)
	l.until("the progress bar", func() bool {
		g := l.gridText()
		return strings.Contains(g, "exporting ") && strings.Contains(g, "ctrl+x cancels") && strings.Contains(g, "█")
	})
	// the export did not read the result page by page
	for _, q := range l.api.since(before) {
		if q.Limit > 0 {
			t.Fatalf("export read a page: %+v", q)
		}
	}
	l.press(kp("ctrl+x"))
	l.until("the cancellation", func() bool { return strings.Contains(l.status(), "cancelled; nothing was kept") })
	l.until("the bar to go", func() bool { return !l.m.grid.model().Exporting() })
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left on disk after cancelling: %v", entries)
	}

	start := time.Now()
	l.exportKeys(out)
	l.until("the export", func() bool { return strings.Contains(l.status(), "exported 1,000,000 rows") })
	t.Logf("1,000,000 rows exported from Results in %v", time.Since(start))
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	n := 0
	for sc.Scan() {
		if n < 3 {
			lines = append(lines, sc.Text())
		}
		n++
	}
	if n != 1_000_001 || strings.Join(lines, "|") != "x,r,t|1000000,1.5e+06,row 1000000|999999,1.4999985e+06,row 999999" {
		t.Fatalf("%d lines, starting %q", n, lines)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// noQueryExport is the real client on a gateway without the query export
// (as an MK1 gateway answers: ErrUnsupported before any byte).
type noQueryExport struct{ *recorder }

func (noQueryExport) ExportQuery(context.Context, string, client.ExportQueryRequest, io.Writer, ...client.TransferOption) (int64, error) {
	return 0, client.ErrUnsupported
}

// TestResultsExportFallsBackToPages: without the query export the result
// is written page by page, and the transfer is over (ctrl+x is free again).
func TestResultsExportFallsBackToPages(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.m.api = noQueryExport{l.api}
	l.runInEditor("SELECT name, city FROM people ORDER BY id", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Ada") })
	path := filepath.Join(t.TempDir(), "people.csv")
	l.exportKeys(path)
	l.until("the export", func() bool { return strings.HasPrefix(l.status(), "exported 3 rows") })
	l.until("the bar to go", func() bool { return !l.m.grid.model().Exporting() })
	if data, err := os.ReadFile(path); err != nil || string(data) != "name,city\r\nAda,London\r\nGrace,New York\r\nLinus,Helsinki\r\n" {
		t.Fatalf("file %q: %v", data, err)
	}
	if len(l.m.running) != 0 {
		t.Fatalf("%d transfers still registered", len(l.m.running))
	}
}

// The results export says its size in the units the rest of DB-Forge uses
// (IEC, as the CLI's export and the TUI's table export do), not SI.
func TestResultsExportSizeInIECUnits(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop",
		"CREATE TABLE pad (t TEXT)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO pad SELECT printf('%0100d', i) FROM n")
	l.runInEditor("SELECT t FROM pad", ctrl('r'))
	l.until("the result", func() bool { return l.status() == "query done" })
	path := filepath.Join(t.TempDir(), "pad.csv")
	l.exportKeys(path)
	l.until("the export", func() bool { return strings.HasPrefix(l.status(), "exported") })
	// 2 + 20 × 102 bytes = 2,042 bytes: "2.0 KiB", where SI said "2.0 kB"
	if want := "exported 20 rows to " + path + " (2.0 KiB)"; l.status() != want {
		t.Fatalf("status %q, want %q", l.status(), want)
	}
}

// e in Results asks before it replaces a file, as the database export does.
func TestResultsExportAsksBeforeReplacing(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop", peopleSetup()...)
	l.runInEditor("SELECT name, city FROM people ORDER BY id", ctrl('r'))
	l.waitGrid("the result", func() bool { return strings.Contains(l.screen(), "Ada") })
	path := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(path, []byte("old"), 0o644)
	l.exportKeys(path)
	l.until("the question", func() bool { return l.m.overlay == overlayDialog })
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("replaced before the answer: %q", b)
	}
	l.press(kp("y"))
	l.until("the export", func() bool { return strings.HasPrefix(l.status(), "exported 3 rows") })
	if b, _ := os.ReadFile(path); string(b) != "name,city\r\nAda,London\r\nGrace,New York\r\nLinus,Helsinki\r\n" {
		t.Fatalf("file %q", b)
	}
}
