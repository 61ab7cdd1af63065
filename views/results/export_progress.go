package results

import (
	"fmt"

	"charm.land/bubbles/v2/progress"
	"github.com/dustin/go-humanize"
)

// exportBar is the export of this result while it runs: a progress bar
// in the footer, rows written of rows in the result.
type exportBar struct {
	rows, total int64 // total 0 while unknown
	bar         progress.Model
}

// Total is the exact row count of the result shown, -1 while unknown.
func (m Model) Total() int {
	if m.mode != modeGrid {
		return -1
	}
	return m.total
}

// SetExportProgress shows an export of the result in the footer: rows
// written so far of total (0 while unknown).
func (m *Model) SetExportProgress(rows, total int64) {
	if m.export == nil {
		bar := progress.New(progress.WithColors(m.th.P.Accent), progress.WithoutPercentage(),
			progress.WithFillCharacters('█', '░'))
		m.export = &exportBar{bar: bar}
	}
	e := *m.export // copy on write: earlier Model values keep theirs
	e.rows, e.total = rows, total
	m.export = &e
}

// EndExport takes the export's bar away.
func (m *Model) EndExport() { m.export = nil }

// Exporting reports whether an export's bar is shown.
func (m Model) Exporting() bool { return m.export != nil }

// exportLine is the footer while exporting: the bar, the share done and
// the rows, and how to cancel.
func (m Model) exportLine() string {
	e := m.export
	frac := 0.0
	text := humanize.Comma(e.rows) + " rows"
	if e.total > 0 {
		// a row count read from the stream runs a little ahead of the
		// rows; the bar shows full only when the export is done
		frac = min(float64(e.rows)/float64(e.total), 0.99)
		text = fmt.Sprintf("%d%% · %s of %s rows", int(frac*100), humanize.Comma(min(e.rows, e.total)), humanize.Comma(e.total))
	}
	text = " " + text + " · ctrl+x cancels"
	bar := e.bar
	bar.SetWidth(max(min(m.width-len([]rune(text))-len("exporting "), 40), 5))
	return m.th.Muted.Render("exporting ") + bar.ViewAs(frac) + m.th.Muted.Render(text)
}
