package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/sqltext"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/results"
)

// Sort and filter run in the database on the whole result: the statement
// is wrapped as SELECT * FROM (…) WHERE … ORDER BY …, and paged, counted
// and exported like any other, so a million rows are sorted by SQLite, not
// by the grid's cached pages.

// resultOps is the root's state for the results pane's own requests.
type resultOps struct {
	reorder    reorderState
	reorderFor int // the result the latest Reorder handled was for
	reorderSeq int // and its Seq
}

// reorderState is the Reorder being answered; a newer one, or a new
// statement, makes its answer stale.
type reorderState struct {
	id     int
	cancel context.CancelFunc
}

// reorderMsg answers a Reorder.
type reorderMsg struct {
	id, baseID int
	a          action.Reorder
	sql        string
	counted    string
	params     any
	res        *client.QueryResult
	err        error
}

// baseCountMsg answers a CountBase.
type baseCountMsg struct {
	queryID, n int
	err        error
}

// errNotWrappable refuses to sort or filter what cannot be a subquery.
var errNotWrappable = errors.New("sort and filter work on SELECT, WITH and VALUES results only")

// errSameNames refuses a result whose columns share a name: a column
// reference in the wrapper would be ambiguous.
var errSameNames = errors.New("columns share a name: give them distinct aliases (AS) to sort or filter")

// wrappable reports whether sql can be read again as a subquery; other
// statements (PRAGMA, INSERT … RETURNING) are never run again for a sort.
func wrappable(d sqltext.Dialect, sql string) bool {
	st := d.Split(sql)
	return len(st) == 1 && st[0].IsQuery()
}

// errFilterParams refuses to filter a statement with placeholders of its
// own: the filter's bound text would take their place.
var errFilterParams = errors.New("filter: the statement has parameters of its own (?, :name, $1…), which the filter's text would fill; filter in its WHERE instead")

// orderedSQL wraps base so the database sorts and filters its rows: the
// filter matches any column as text, case-insensitively for ASCII (LIKE),
// with % and _ working as in LIKE; the sort breaks ties on every column in
// order, so pages read with LIMIT/OFFSET never repeat or skip a row.
// Identifiers go through sqltext.QuoteIdent; the filter text is a bound
// parameter, never SQL.
// counted is the same wrapper without its ORDER BY, for counting.
func orderedSQL(base string, a action.Reorder) (sql, counted string, params any, err error) {
	return orderedSQLIn(sqltext.SQLite, base, a)
}

// orderedSQLIn is orderedSQL for a dialect: PostgreSQL names the subquery
// and matches with ILIKE (its LIKE minds case) on its own $1.
func orderedSQLIn(d sqltext.Dialect, base string, a action.Reorder) (sql, counted string, params any, err error) {
	if !wrappable(d, base) {
		return "", "", nil, errNotWrappable
	}
	seen := make(map[string]bool, len(a.Columns))
	for _, c := range a.Columns {
		k := strings.ToLower(c)
		if seen[k] {
			return "", "", nil, errSameNames
		}
		seen[k] = true
	}
	var b strings.Builder
	// the newline keeps a trailing line comment from swallowing the ")"
	b.WriteString("SELECT * FROM (\n" + bareStatement(base) + "\n)" + subqueryAlias(d))
	if a.Filter != "" && len(a.Columns) > 0 {
		if d.HasParams(base) {
			return "", "", nil, errFilterParams
		}
		match := " AS TEXT) LIKE ?1"
		if d == sqltext.Postgres {
			match = " AS TEXT) ILIKE $1"
		}
		conds := make([]string, len(a.Columns))
		for i, c := range a.Columns {
			conds[i] = "CAST(" + sqltext.QuoteIdent(c) + match
		}
		b.WriteString(" WHERE " + strings.Join(conds, " OR "))
		params = []any{"%" + a.Filter + "%"}
	}
	counted = b.String()
	if a.Sort != "" {
		if !seen[strings.ToLower(a.Sort)] {
			return "", "", nil, errors.New("no column " + a.Sort + " in the result")
		}
		b.WriteString(" ORDER BY " + sqltext.QuoteIdent(a.Sort))
		if a.Desc {
			b.WriteString(" DESC")
		}
		for i := range a.Columns {
			b.WriteString(", " + strconv.Itoa(i+1))
		}
	}
	return b.String(), counted, params, nil
}

// bareStatement is sql without trailing semicolons and space.
func bareStatement(sql string) string {
	s := strings.TrimSpace(sql)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	return s
}

// countable is the statement whose rows are counted: a sort does not
// change the count, so the wrapper is counted without it (SQLite would
// sort a million rows only to count them).
func (q queryState) countable() string {
	if q.counted != "" {
		return q.counted
	}
	return q.sql
}

// statement is the statement as run, before any sort or filter.
func (q queryState) statement() string {
	if q.base != "" {
		return q.base
	}
	return q.sql
}

// reorder runs the shown statement again, sorted and filtered as a asks.
// The grid keeps showing the old order until the answer is in.
func (m *Model) reorder(a action.Reorder) tea.Cmd {
	q := m.query
	gp := m.grid.model()
	if a.QueryID == m.resOps.reorderFor && a.Seq < m.resOps.reorderSeq {
		return nil // a later one arrived first
	}
	m.resOps.reorderFor, m.resOps.reorderSeq = a.QueryID, a.Seq
	if a.QueryID != q.id || q.ctx == nil {
		gp.ReorderFailed(a.QueryID)
		return nil
	}
	sql, counted, params, err := orderedSQLIn(q.sqlIn, q.statement(), a)
	if err != nil {
		gp.ReorderFailed(a.QueryID)
		m.setStatus(err.Error(), true)
		return nil
	}
	if m.resOps.reorder.cancel != nil {
		m.resOps.reorder.cancel()
	}
	m.nextID++
	id := m.nextID
	ctx, cancel := context.WithTimeout(q.ctx, m.opts.Timeout)
	m.resOps.reorder = reorderState{id: id, cancel: cancel}
	api, db := m.api, q.db
	return func() tea.Msg {
		res, err := safeCall(func() (*client.QueryResult, error) {
			return api.Query(ctx, db, client.QueryRequest{SQL: sql, Params: params, Limit: results.PageSize, Shape: "rows"})
		})
		return reorderMsg{id: id, baseID: a.QueryID, a: a, sql: sql, counted: counted, params: params, res: res, err: err}
	}
}

// onReorder shows the reordered result, which from now on is what pages,
// counts and exports read.
func (m *Model) onReorder(msg reorderMsg) tea.Cmd {
	if msg.id != m.resOps.reorder.id || msg.baseID != m.query.id {
		return nil
	}
	m.resOps.reorder.cancel()
	m.resOps.reorder = reorderState{}
	gp := m.grid.model()
	if msg.err == nil && (msg.res == nil || !msg.res.Returning()) {
		msg.err = errors.New("no rows came back")
	}
	if msg.err != nil {
		gp.ReorderFailed(msg.baseID)
		m.setStatus("sort/filter: "+sanitize.Line(sqlError(msg.err)), true)
		return nil
	}
	old := m.query
	old.cancel() // the old order's fetches
	qctx, cancel := context.WithCancel(context.Background())
	m.nextID++
	m.query = queryState{id: m.nextID, sql: msg.sql, db: old.db, sqlIn: old.sqlIn, ctx: qctx, cancel: cancel,
		base: old.statement(), params: msg.params, counted: msg.counted}
	m.forget(reqCount)
	cmd := gp.SetReordered(m.query.id, msg.res, msg.a)
	m.setStatus(reorderStatus(msg.a), false)
	return cmd
}

func reorderStatus(a action.Reorder) string {
	var parts []string
	if a.Sort != "" {
		dir := "ascending"
		if a.Desc {
			dir = "descending"
		}
		parts = append(parts, "sorted by "+sanitize.Line(a.Sort)+" "+dir)
	}
	if a.Filter != "" {
		parts = append(parts, "filtered")
	}
	if len(parts) == 0 {
		return "the statement's own order, no filter"
	}
	return strings.Join(parts, ", ")
}

// countBase counts the rows of the shown statement before its filter.
func (m *Model) countBase(a action.CountBase) tea.Cmd {
	q := m.query
	if a.QueryID != q.id || q.ctx == nil {
		return nil
	}
	api, timeout := m.api, m.opts.Timeout
	base := q.statement()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(q.ctx, timeout)
		defer cancel()
		res, err := safeCall(func() (*client.QueryResult, error) {
			return api.Query(ctx, q.db, client.QueryRequest{SQL: countSQL(q.sqlIn, base), Shape: "rows"})
		})
		msg := baseCountMsg{queryID: a.QueryID, err: err}
		if err == nil {
			msg.n, msg.err = firstInt(res)
		}
		return msg
	}
}

// onResultsAction handles the results pane's sort and filter actions and
// their answers; ok is false for other messages.
func (m *Model) onResultsAction(msg tea.Msg) (tea.Cmd, bool) {
	switch a := msg.(type) {
	case action.Reorder:
		return m.reorder(a), true
	case reorderMsg:
		return m.onReorder(a), true
	case action.CountBase:
		return m.countBase(a), true
	case exportTotalMsg:
		m.onExportTotal(a)
		return nil, true
	case fallbackExportMsg:
		m.endTransfer(a.id)
		_, cmd := m.Update(a.msg)
		return cmd, true
	case action.ShowStatement:
		return m.showStatement(a), true
	case baseCountMsg:
		if a.err == nil {
			m.grid.model().SetBaseTotal(a.queryID, a.n)
		}
		return nil, true
	}
	return nil, false
}
