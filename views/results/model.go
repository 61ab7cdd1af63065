// Package results is the virtualized results grid: it draws only the rows
// and columns on screen and asks (through action.FetchPage) only for the
// pages it needs, keeping a bounded cache of pages so memory follows what is
// cached, not how many rows the result has.
package results

import (
	"slices"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/pathinput"
)

// Defaults for paging and column sizing.
const (
	// PageSize is the number of rows the pane asks for per page; the root
	// should fetch the first page with this limit too.
	PageSize = 200
	// MaxPages bounds the page cache.
	MaxPages = 20
	// MaxColWidth and MinColWidth bound a column's width in cells.
	MaxColWidth = 40
	MinColWidth = 4
)

// mode is what the pane shows.
type mode int

const (
	modeEmpty   mode = iota // nothing run yet
	modeRunning             // a statement is running
	modeGrid                // a row set
	modeMessage             // a statement that returns no rows
	modeError               // the statement failed
)

// Model is the results pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Results

	mode    mode
	queryID int
	sql     string
	elapsed float64 // ms
	message string
	err     error

	cols    []client.Column
	widths  []int
	numeric []bool // columns whose sampled values are all numbers (right-aligned)
	cache   *pageCache

	known   int  // rows known to exist (end of the furthest page received)
	hasMore bool // the server said rows follow the furthest page
	total   int  // exact row count, -1 while unknown
	counted bool // CountRows already asked for this result
	toEnd   bool // G pressed before the total was known

	row, col      int // cell cursor
	top, left     int // first row and first column on screen
	width, height int
	focused       bool
	pageErr       string
	viewer        *viewer
	exporting     bool
	exportInput   pathinput.Model
	exportErr     string
	pageSize      int
	maxPages      int

	order       order           // sort and filter applied by the database
	baseTotal   int             // rows before the filter, -1 while unknown
	reordering  string          // "sorting…" while a Reorder is out
	asked       order           // the order that Reorder asked for
	reorderSeq  int             // numbers the Reorders asked for
	filtering   bool            // the filter prompt is open
	filterInput textinput.Model // the filter prompt
	group       bool            // digit grouping of numbers
	sel         *selection      // the rectangle being selected, nil for none
	steps       steps           // the statements of the last Run all
	export      *exportBar      // the export of this result while it runs
	fracs, ints []int           // per numeric column: widest fraction and integer part
	shownSeq    int             // numbers the Shown messages sent
	shownRows   int             // rows the last Shown carried
}

// CompletionID names the export prompt in path completion requests.
const CompletionID = "results.export"

// SetCompletions hands a path completion answer to the export prompt;
// answers for another prompt or an outdated text are dropped.
func (m *Model) SetCompletions(a action.PathCompletions) {
	if m.exporting && m.exportInput.SetCompletions(a) {
		m.exportErr = ""
	}
}

// New returns an empty results pane.
func New(th *theme.Theme, keys keymap.Results) Model {
	ti := pathinput.New(th, CompletionID, keys.ExportComplete)
	ti.Prompt = "export to: "
	ti.Placeholder = "results.csv"
	ti.CharLimit = 4096
	return Model{
		th: th, keys: keys, total: -1,
		exportInput: ti, filterInput: newFilterInput(th),
		order: noOrder(), baseTotal: -1,
		pageSize: PageSize, maxPages: MaxPages,
		cache: newPageCache(PageSize, MaxPages),
	}
}

// SetRunning shows that queryID is running; pages of older queries are
// dropped from then on.
func (m *Model) SetRunning(queryID int, sql string) {
	m.reset(queryID, sql)
	m.steps = steps{shown: -1}
	m.mode = modeRunning
}

// SetResult shows the first page of queryID's answer. For a row set, first
// holds rows [0, PageSize); a statement without rows shows rows affected
// and the last insert id. The returned command asks for any further page
// the viewport already needs (nil when none).
func (m *Model) SetResult(queryID int, sql string, first *client.QueryResult) tea.Cmd {
	m.reset(queryID, sql)
	if first == nil {
		m.mode = modeEmpty
		return m.shown()
	}
	m.elapsed = first.ExecutionTimeMS
	if !first.Returning() {
		m.mode = modeMessage
		m.message = messageFor(first)
		return m.shown()
	}
	m.mode = modeGrid
	m.cols = first.Columns
	m.widths, m.numeric = measure(first.Columns, first.Rows)
	m.fitNumbers(first.Rows)
	m.store(0, first.Rows, first.HasMore)
	m.clamp()
	return tea.Batch(m.shown(), m.Fetch())
}

// SetPage stores rows [offset, offset+len(rows)) of queryID. Pages of any
// other query are dropped. The returned command asks for pages still missing.
func (m *Model) SetPage(queryID, offset int, rows [][]any, hasMore bool) tea.Cmd {
	if m.mode != modeGrid || queryID != m.queryID || offset < 0 {
		return nil
	}
	m.widths = slices.Clone(m.widths) // earlier Model values keep theirs
	widen(m.widths, rows)
	m.fitNumbers(rows)
	m.store(offset, rows, hasMore)
	m.clamp()
	return tea.Batch(m.shownIfChanged(), m.Fetch())
}

// PageFailed records that fetching the page at offset failed; it is asked
// for again after the next key press, not in a loop.
func (m *Model) PageFailed(queryID, offset int, err error) {
	if m.mode != modeGrid || queryID != m.queryID {
		return
	}
	m.cache.fail(offset / m.pageSize)
	if err != nil {
		m.pageErr = err.Error()
	}
}

// SetTotal sets the exact row count of queryID (the answer to
// action.CountRows). If G was pressed while counting, the cursor goes to the
// last row and the returned command fetches it.
func (m *Model) SetTotal(queryID, n int) tea.Cmd {
	if m.mode != modeGrid || queryID != m.queryID || n < 0 {
		return nil
	}
	m.total = n
	m.known = n
	m.hasMore = false
	if m.toEnd {
		m.toEnd = false
		m.row = n - 1
	}
	m.clamp()
	return m.Fetch()
}

// SetMessage shows a plain message instead of a grid (e.g. a script's
// summary); the command says the grid holds no rows now.
func (m *Model) SetMessage(text string) tea.Cmd {
	m.reset(m.queryID, m.sql)
	m.mode = modeMessage
	m.message = text
	return m.shown()
}

// SetError shows why the statement failed, in SQLite's words; the command
// says the grid holds no rows now.
func (m *Model) SetError(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	m.reset(m.queryID, m.sql)
	m.mode = modeError
	m.err = err
	return m.shown()
}

// QueryID is the id of the result shown (0 before any).
func (m Model) QueryID() int { return m.queryID }

// Columns returns the columns of the result shown.
func (m Model) Columns() []client.Column { return m.cols }

// Cursor returns the cell cursor (row, column).
func (m Model) Cursor() (row, col int) { return m.row, m.col }

// Rows returns the rows of the first contiguous cached pages (what the chart
// pane can draw without fetching).
func (m Model) Rows() [][]any { return m.cache.leading() }

// SetSize sets the inner size of the pane.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.exportInput.SetWidth(max(m.width-len(m.exportInput.Prompt)-1, 1))
	if m.viewer != nil {
		v := *m.viewer
		v.layout(m.width, m.viewerHeight())
		m.viewer = &v
	}
	m.clamp()
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away and closes the export prompt.
func (m *Model) Blur() {
	m.focused = false
	m.closeExport()
	m.closeFilter()
}

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is true while the export path or a filter is being typed.
func (m Model) InTextInput() bool { return m.exporting || m.filtering }

// Overlay is true while the cell viewer is open; esc closes it.
func (m Model) Overlay() bool { return m.viewer != nil }

// Keys returns the pane's bindings for the help views.
func (m Model) Keys() keymap.Results { return m.keys }

func (m *Model) reset(queryID int, sql string) {
	m.queryID, m.sql = queryID, sql
	m.mode = modeEmpty
	m.elapsed, m.message, m.err = 0, "", nil
	m.cols, m.widths, m.numeric = nil, nil, nil
	m.fracs, m.ints = nil, nil
	m.cache = newPageCache(m.pageSize, m.maxPages)
	m.known, m.hasMore, m.total = 0, false, -1
	m.counted, m.toEnd = false, false
	m.row, m.col, m.top, m.left = 0, 0, 0, 0
	m.pageErr = ""
	m.viewer = nil
	m.closeExport()
	m.order, m.baseTotal, m.reordering, m.sel = noOrder(), -1, "", nil
	m.closeFilter()
}

// store caches rows starting at offset, split into pages, and updates what
// is known about the result's length.
func (m *Model) store(offset int, rows [][]any, hasMore bool) {
	for i := 0; i < len(rows) || i == 0; i += m.pageSize {
		end := min(i+m.pageSize, len(rows))
		m.cache.put((offset+i)/m.pageSize, rows[i:end])
		if len(rows) == 0 {
			break
		}
	}
	end := offset + len(rows)
	switch {
	case m.total >= 0:
	case !hasMore && end >= m.known:
		m.known, m.hasMore, m.total = end, false, end
	case end > m.known:
		m.known, m.hasMore = end, hasMore
	}
	m.pageErr = ""
}

// rowCount is the number of rows the cursor can reach now.
func (m Model) rowCount() int {
	if m.total >= 0 {
		return m.total
	}
	return m.known
}

// RefreshStyles rebuilds the styles derived from the theme after it changed
// (the grid itself draws from the theme on every View).
func (m *Model) RefreshStyles() {
	m.filterInput.SetStyles(m.th.TextInput())
	m.exportInput.RefreshStyles()
}
