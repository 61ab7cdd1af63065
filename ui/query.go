package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/results"
	"github.com/dbforge/dbforge/views/schema"
	"github.com/dustin/go-humanize"
)

// queryState is the statement whose result the grid shows: pages and
// counts are asked for with its SQL against its database, and every fetch
// hangs off ctx so a new statement cancels the old one's fetches.
type queryState struct {
	id     int
	sql    string
	db     string
	sqlIn  sqltext.Dialect // the database's SQL rules, for the wrappers of count, sort and filter
	ctx    context.Context
	cancel context.CancelFunc

	// set when a sort or filter wrapped the statement (results_sort.go)
	base    string    // the statement as run, before the wrapper
	params  any       // the filter's parameters; nil for none
	counted string    // what to count rows of: the wrapper without its sort
	hist    string    // what the history files when it ends ("" for previews)
	busy    bool      // waiting for the statement's answer
	script  bool      // several statements run in order
	started time.Time // when it was sent, for the elapsed time
}

// queryMsg answers a statement (or a script: then stmt says which one the
// result or error belongs to).
type queryMsg struct {
	id      int
	db      string
	sql     string
	source  string
	label   string // status when done, instead of the default
	res     *client.QueryResult
	err     error
	script  bool
	ran     int   // statements that ran without error
	total   int   // statements in the script
	line    int   // line of the failed statement
	affects int64 // rows changed by the script's writes
	wrote   bool  // something may have changed the schema or the data

	steps []results.Step // a script's statements and what each gave
}

// pageMsg answers a FetchPage.
type pageMsg struct {
	queryID, offset int
	rows            [][]any
	more            bool
	err             error
}

// countMsg answers a CountRows.
type countMsg struct {
	id, queryID, n int
	err            error
}

// startQuery cancels the previous statement (and its fetches) and makes a
// new one current; the grid shows that it is running. focus moves the
// keyboard to the results (not for runs from the editor).
func (m *Model) startQuery(sql string, focus bool) (int, context.Context) {
	id, ctx := m.request(reqQuery, m.opts.Timeout)
	m.forget(reqCount)
	if m.query.cancel != nil {
		m.query.cancel()
	}
	qctx, cancel := context.WithCancel(context.Background())
	m.query = queryState{id: id, sql: sql, db: m.current, sqlIn: m.dialect(), ctx: qctx, cancel: cancel, busy: true, started: m.opts.Now()}
	m.grid.model().SetRunning(id, sql)
	m.showElapsed()
	m.showResults(tabResults, focus)
	return id, ctx
}

// runQuery runs one statement for the grid.
func (m *Model) runQuery(a action.RunQuery) tea.Cmd { return m.runLabeled(a, "") }

// runLabeled runs a statement; label (when set) is the status shown when
// it is done.
func (m *Model) runLabeled(a action.RunQuery, label string) tea.Cmd {
	if cmd, ok := m.needDatabase(); !ok {
		return cmd
	}
	run := m.statements()
	if run.FirstWrite(a.SQL) == 0 {
		m.setStatus("read-only: the statement writes, not run", true)
		return nil
	}
	id, ctx := m.startQuery(a.SQL, a.Source != "editor")
	m.setStatus("running…", false)
	db := m.current
	cmds := []tea.Cmd{func() tea.Msg {
		res, err := safeCall(func() (*client.QueryResult, error) {
			return run.Run(ctx, db, client.QueryRequest{SQL: a.SQL, Limit: results.PageSize, Shape: "rows"})
		})
		return queryMsg{id: id, db: db, sql: a.SQL, source: a.Source, label: label, res: res, err: err, line: a.Line,
			wrote: err == nil && app.Wrote(a.SQL, res)}
	}}
	if a.Source == "editor" {
		m.query.hist = a.SQL
	}
	return tea.Batch(append(cmds, tickRun(id))...)
}

// runScript runs statements in order and stops at the first error; the
// grid shows the last statement's rows, or a summary.
func (m *Model) runScript(a action.RunScript) tea.Cmd {
	if len(a.Statements) == 0 {
		return nil
	}
	if cmd, ok := m.needDatabase(); !ok {
		return cmd
	}
	texts := make([]string, len(a.Statements))
	for i, st := range a.Statements {
		texts[i] = st.SQL
	}
	run := m.statements()
	if i := run.FirstWrite(texts...); i >= 0 {
		m.setStatus(fmt.Sprintf("read-only: the statement on line %d writes, nothing run", a.Statements[i].Line), true)
		return nil
	}
	id, ctx := m.startQuery(texts[len(texts)-1], false)
	m.setStatus(fmt.Sprintf("running %d statements…", len(a.Statements)), false)
	db, stmts := m.current, a.Statements
	m.query.script = true
	m.query.hist = strings.Join(texts, ";\n") + ";"
	return tea.Batch(func() tea.Msg {
		script, err := safeCall(func() (app.Script, error) {
			return run.RunScript(ctx, db, texts, client.QueryRequest{Limit: results.PageSize, Shape: "rows"}), nil
		})
		if err != nil {
			script.Err = err
		}
		return scriptMsg(id, db, stmts, script)
	}, tickRun(id))
}

// scriptMsg is the answer of a script: the statements that ran, and the
// one that failed.
func scriptMsg(id int, db string, stmts []action.Statement, r app.Script) queryMsg {
	msg := queryMsg{id: id, db: db, script: true, total: len(stmts), source: "editor", steps: newSteps(stmts),
		ran: len(r.Results), affects: r.Affected, wrote: r.Wrote}
	for i, res := range r.Results {
		msg.sql, msg.res = stmts[i].SQL, res
		msg.steps[i].Res, _ = firstPageOnly(res, stmts[i].SQL) // shown again later without re-running it
	}
	if i := r.Failed(); i >= 0 {
		msg.sql, msg.err, msg.line = stmts[i].SQL, r.Err, stmts[i].Line
		msg.steps[i].Err = errors.New(sqlError(r.Err))
	}
	return msg
}

// statements runs the session's SQL: read_only on every statement of a
// read-only session.
func (m *Model) statements() app.Statements {
	return app.Statements{Client: m.api, ReadOnly: m.c.ReadOnly, Dialect: m.dialect()}
}

// onQuery shows a statement's answer in the grid.
func (m *Model) onQuery(msg queryMsg) tea.Cmd {
	if !m.fresh(reqQuery, msg.id) {
		return nil
	}
	m.query.busy = false
	m.results.note = ""
	gp := m.grid.model()
	cmds := []tea.Cmd{m.recordRun(msg.res)}
	if msg.wrote {
		// a write may have changed tables, row counts and file sizes
		cmds = append(cmds, m.loadSchema(), m.loadDatabases())
	}
	switch {
	case msg.err != nil && msg.script:
		text := fmt.Sprintf("statement %d of %d (line %d): %s%s", msg.ran+1, msg.total, msg.line, sqlError(msg.err), m.markError(msg))
		if msg.ran > 0 {
			text += fmt.Sprintf("\n(the %d before it ran)", msg.ran)
		}
		gp.SetRunning(msg.id, msg.sql) // show the statement that failed
		cmds = append(cmds, gp.SetError(errors.New(text)))
		m.setStatus(fmt.Sprintf("statement %d (line %d) failed", msg.ran+1, msg.line), true)
	case msg.err != nil:
		where := m.markError(msg)
		cmds = append(cmds, gp.SetError(errors.New(sqlError(msg.err)+where)))
		m.setStatus("the statement failed"+where, true)
	case msg.script && (msg.res == nil || !msg.res.Returning()):
		cmds = append(cmds, gp.SetMessage(fmt.Sprintf("ran %d statements · %s rows changed", msg.total, humanize.Comma(msg.affects))))
		m.setStatus(fmt.Sprintf("ran %d statements", msg.total), false)
	default:
		m.query.sql = msg.sql
		res, cut := firstPageOnly(msg.res, msg.sql)
		cmds = append(cmds, gp.SetResult(msg.id, msg.sql, res))
		m.setStatus(resultStatus(msg), false)
		if cut {
			m.setStatus(m.status+" · only the first rows are shown: reading more would run the statement again", false)
		}
	}
	m.keepSteps(msg)
	if !m.visible(paneResults) && !m.statusErr {
		m.setStatus(m.status+" · "+m.c.Keys.Global.AltPane[paneResults].Help().Key+" results", false)
	}
	return tea.Batch(cmds...)
}

// recordRun files the finished editor statement in the history, with the
// engine's time for a single statement, else the time the UI waited.
func (m *Model) recordRun(res *client.QueryResult) tea.Cmd {
	q := m.query
	if q.hist == "" {
		return nil
	}
	m.query.hist = ""
	took := m.opts.Now().Sub(q.started)
	if res != nil && !q.script && res.ExecutionTimeMS > 0 {
		took = time.Duration(res.ExecutionTimeMS * float64(time.Millisecond))
	}
	return m.recordHistory(q.db, q.hist, took)
}

// markError points the editor at the token an SQL error names, and says
// where it is (" · at line 3:8"); "" when the error names none or the
// statement did not come from the editor.
func (m *Model) markError(msg queryMsg) string {
	if msg.source != "editor" || msg.db != m.current {
		return ""
	}
	line, col, ok := m.editor.model().MarkError(msg.sql, msg.line, sqlError(msg.err))
	if !ok {
		return ""
	}
	return fmt.Sprintf(" · at line %d:%d", line, col)
}

func resultStatus(msg queryMsg) string {
	prefix := ""
	if msg.script {
		prefix = fmt.Sprintf("ran %d statements · ", msg.total)
	}
	r := msg.res
	switch {
	case r == nil:
		return prefix + "done"
	case !r.Returning():
		return prefix + sanitize.Line(r.Message)
	case msg.label != "":
		return msg.label
	}
	return prefix + "query done"
}

// fetchPage asks for rows [offset, offset+limit) of the shown statement.
func (m *Model) fetchPage(a action.FetchPage) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil || a.Limit <= 0 || a.Offset < 0 {
		return nil
	}
	api, timeout := m.api, m.opts.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(q.ctx, timeout)
		defer cancel()
		res, err := safeCall(func() (*client.QueryResult, error) {
			return api.Query(ctx, q.db, client.QueryRequest{SQL: q.sql, Params: q.params, Limit: a.Limit, Offset: a.Offset, Shape: "rows"})
		})
		msg := pageMsg{queryID: a.QueryID, offset: a.Offset, err: err}
		if err == nil && res != nil {
			msg.rows, msg.more = res.Rows, res.HasMore
		}
		return msg
	}
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.queryID != m.query.id {
		return nil
	}
	gp := m.grid.model()
	if msg.err != nil {
		gp.PageFailed(msg.queryID, msg.offset, msg.err)
		return nil
	}
	return gp.SetPage(msg.queryID, msg.offset, msg.rows, msg.more)
}

// countRows counts the rows of the shown statement, for G.
func (m *Model) countRows(a action.CountRows) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil {
		return nil
	}
	id, ctx := m.request(reqCount, m.opts.Timeout)
	api := m.api
	return func() tea.Msg {
		res, err := safeCall(func() (*client.QueryResult, error) {
			return api.Query(ctx, q.db, client.QueryRequest{SQL: countSQL(q.sqlIn, q.countable()), Params: q.params, Shape: "rows"})
		})
		msg := countMsg{id: id, queryID: a.QueryID, err: err}
		if err == nil {
			msg.n, msg.err = firstInt(res)
		}
		return msg
	}
}

func (m *Model) onCount(msg countMsg) tea.Cmd {
	if !m.fresh(reqCount, msg.id) || msg.queryID != m.query.id {
		return nil
	}
	if msg.err != nil {
		m.setStatus("counting rows: "+msg.err.Error(), true)
		return nil
	}
	return m.grid.model().SetTotal(msg.queryID, msg.n)
}

// sqlError is an error as the user needs it: the gateway's message (for
// SQL errors, SQLite's own words) without the transport's prefix.
func sqlError(err error) string {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && strings.TrimSpace(apiErr.Message) != "" {
		return apiErr.Message
	}
	return err.Error()
}

// countSQL wraps a statement to count its rows. The newline before the
// closing parenthesis keeps a trailing line comment from swallowing it.
// PostgreSQL (before 16) wants the subquery named.
func countSQL(d sqltext.Dialect, sql string) string {
	return "SELECT COUNT(*) FROM (\n" + bareStatement(sql) + "\n)" + subqueryAlias(d)
}

// subqueryAlias names a subquery in FROM where the dialect needs a name.
func subqueryAlias(d sqltext.Dialect) string {
	if d == sqltext.Postgres {
		return " AS dbforge_rows"
	}
	return ""
}

// firstInt reads a one-cell integer answer.
func firstInt(res *client.QueryResult) (int, error) {
	if res == nil || len(res.Rows) == 0 || len(res.Rows[0]) == 0 {
		return 0, fmt.Errorf("no count in the answer")
	}
	switch v := res.Rows[0][0].(type) {
	case int64:
		return int(v), nil
	case float64:
		return int(v), nil
	}
	return 0, fmt.Errorf("count is not a number")
}

// previewTable shows a table's first rows.
func (m *Model) previewTable(a action.PreviewTable) tea.Cmd {
	label := "preview of " + sanitize.Line(a.Table) + " · first rows"
	return m.runLabeled(action.RunQuery{SQL: schema.SelectSQL(a.Table), Source: "preview"}, label)
}

// needDatabase refuses to run anything before a database is chosen.
func (m *Model) needDatabase() (tea.Cmd, bool) {
	if m.current != "" {
		return nil, true
	}
	m.setStatus(m.noDatabaseHint(), true)
	return nil, false
}

// noDatabaseHint says how to pick a database, naming the key as bound.
func (m *Model) noDatabaseHint() string {
	return "no database selected: pick one in Databases (" + m.c.Keys.Global.Pane[paneDatabases].Help().Key + ")"
}

// firstPageOnly keeps the rows a writing statement returned (INSERT …
// RETURNING) to its first page: every further page, count or sort would
// send the statement again, and so write again. cut says rows were left out.
func firstPageOnly(res *client.QueryResult, sql string) (_ *client.QueryResult, cut bool) {
	if res == nil || !res.Returning() || !res.HasMore || !sqltext.IsWrite(sql) {
		return res, false
	}
	once := *res
	once.HasMore = false
	return &once, true
}
