package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/history"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/chart"
	"github.com/dbforge/dbforge/views/databases"
	"github.com/dbforge/dbforge/views/dialog"
	"github.com/dbforge/dbforge/views/editor"
	"github.com/dbforge/dbforge/views/health"
	helpview "github.com/dbforge/dbforge/views/help"
	"github.com/dbforge/dbforge/views/histview"
	"github.com/dbforge/dbforge/views/plan"
	"github.com/dbforge/dbforge/views/results"
	"github.com/dbforge/dbforge/views/schema"
)

// Model is the root model. It is used through a pointer: panes live in
// slots the root owns, and only Update changes them.
type Model struct {
	c    Common
	api  API
	opts Options
	mode string // display form of the mode

	slots   [paneCount]slot
	dbs     *paneSlot[databases.Model, *databases.Model]
	health  *paneSlot[health.Model, *health.Model]
	tree    *paneSlot[schema.Model, *schema.Model]
	editor  *paneSlot[editor.Model, *editor.Model]
	grid    *paneSlot[results.Model, *results.Model]
	chart   *paneSlot[chart.Model, *chart.Model]
	plan    *paneSlot[plan.Model, *plan.Model]
	results *tabbed
	focus   paneID
	rects   [paneCount]rect                // where each visible pane was drawn, for mouse clicks
	frames  [paneCount]drawCache[frameKey] // each pane's last frame, redrawn only when it changed
	bar     drawCache[barKey]              // the status bar's last drawing

	overlay  overlayKind
	dialog   dialog.Model
	helpView helpview.Model
	histView histview.Model

	current   string // the database every pane follows
	listed    bool   // the database list arrived at least once
	seeding   bool
	now       time.Time
	status    string
	statusErr bool

	reqs    map[reqKind]int                // latest request id per kind; older answers are dropped
	cancels map[reqKind]context.CancelFunc // cancels a superseded request
	nextID  int

	poll pollState
	conn connState // what the status bar says about the gateway

	running map[int]*transfer // running exports and imports by id, for the cancel key

	resOps resultOps // sort, filter, Run all and export of the results pane (results_*.go)

	drafts history.Drafts // the editor's tabs per database ("" Dir: not kept)
	draft  draftState

	query   queryState                 // the statement whose result the grid shows
	history history.Store              // on-disk history (when a directory is configured)
	memHist map[string][]history.Entry // session history by database when there is no directory
	hist    []history.Entry            // the current database's history, oldest first
}

type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayDialog
	overlayHistory
)

// New builds the root model over api.
func New(api API, opts Options) *Model {
	opts.defaults()
	if opts.ReadOnly {
		api = readOnlyAPI{readSession: readSession{api}}
	}
	th := theme.MustNew(opts.Theme, true, opts.NoColor)
	m := &Model{
		c:       Common{Theme: &th, Keys: opts.Keys, ReadOnly: opts.ReadOnly},
		api:     api,
		opts:    opts,
		mode:    DisplayMode(opts.Mode),
		current: opts.Database,
		now:     opts.Now(),
		reqs:    map[reqKind]int{},
		cancels: map[reqKind]context.CancelFunc{},
	}
	m.poll.delay = opts.Refresh
	km := m.c.Keys
	dbs := databases.New(m.c.Theme, km.Databases)
	dbs.SetReadOnly(opts.ReadOnly)
	dbs.SetNow(m.now)
	dbs.SetCurrent(m.current)
	m.dbs = wrap(dbs, km.Databases)
	hp := health.New(m.c.Theme, km.Health)
	hp.SetDatabase(m.current)
	hp.SetLocalOnly(opts.Mode == "embedded")
	m.health = wrap(hp, km.Health)
	// the schema, the result, the chart and the plan belong to one
	// database; the grid fetches the rows its size shows
	m.tree = wrap(schema.New(m.c.Theme, km.Schema), km.Schema).resetsWith(m.newSchema)
	m.editor = wrap(m.newEditor(), km.Editor)
	newGrid := func() results.Model { return results.New(m.c.Theme, km.Results) }
	m.grid = wrap(newGrid(), km.Results).resetsWith(newGrid).onResize((*results.Model).Fetch)
	newChart := func() chart.Model { return chart.New(m.c.Theme, km.Chart) }
	m.chart = wrap(newChart(), km.Chart).resetsWith(newChart)
	newPlan := func() plan.Model { return plan.New(m.c.Theme, km.Plan) }
	m.plan = wrap(newPlan(), km.Plan).resetsWith(newPlan)
	m.results = &tabbed{
		th:    m.c.Theme,
		names: []string{tabResults, tabChart, tabPlan},
		tabs:  []slot{m.grid, m.chart, m.plan},
	}
	m.slots = [paneCount]slot{
		paneDatabases: m.dbs,
		paneSchema:    m.tree,
		paneHealth:    m.health,
		paneEditor:    m.editor,
		paneResults:   m.results,
	}
	m.memHist = map[string][]history.Entry{}
	if opts.HistoryDir != "" {
		m.history = history.New(opts.HistoryDir, 0)
		m.drafts = history.Drafts{Dir: draftsDir(opts.HistoryDir)}
	}
	m.helpView = helpview.New(m.c.Theme, m.c.Keys.Global.Back)
	m.slots[m.focus].focus()
	return m
}

// Tabs of the results area.
const (
	tabResults = "Results"
	tabChart   = "Chart"
	tabPlan    = "Plan"
)

// newSchema is the schema pane after a database switch, saying so when
// no database is left.
func (m *Model) newSchema() schema.Model {
	s := schema.New(m.c.Theme, m.c.Keys.Schema)
	if m.current == "" {
		s.SetNoDatabase()
	}
	s.SetEstimatedCounts(m.dialect() == sqltext.Postgres)
	return s
}

func (m *Model) newEditor() editor.Model {
	ed := editor.New(m.c.Theme, m.c.Keys.Editor)
	ed.SetReadOnly(m.c.ReadOnly)
	return ed
}

// Init asks the terminal for its background (when no theme is configured)
// and loads the database list.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.loadDatabases(), m.ensurePolling(), m.loadSchema(), m.loadHistory(), m.loadDraft(m.current)}
	if m.opts.Theme == "" && !m.opts.NoColor {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Current is the database every pane follows.
func (m *Model) Current() string { return m.current }

// EditorText is the text of the editor.
func (m *Model) EditorText() string { return m.editor.model().Text() }

// Focused is the name of the focused pane.
func (m *Model) Focused() string { return paneName(m.focus) }

// Status is the status bar's message and whether it is an error.
func (m *Model) Status() (string, bool) { return m.status, m.statusErr }

// wide reports whether all panes fit on screen at once.
func (m *Model) wide() bool { return m.c.Width >= 100 && m.c.Height >= 30 }

// visible reports whether pane p is on screen.
func (m *Model) visible(p paneID) bool { return m.wide() || m.focus == p }

func (m *Model) setStatus(text string, isErr bool) {
	m.status, m.statusErr = text, isErr
}
