package results

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
	"github.com/dbforge/dbforge/views/textfit"
	"github.com/dustin/go-humanize"
)

// Step is one statement of a Run all and what it gave: the first page of
// its rows or its message (Res), or the error that stopped the script
// (Err); neither for the statements after that, which did not run.
type Step struct {
	SQL  string
	Line int
	Res  *client.QueryResult
	Err  error
}

// steps is the statement list of the last Run all.
type steps struct {
	list    []Step
	shown   int  // the statement the grid shows, -1 for the script's summary
	open    bool // the list is on screen
	current int  // the list's cursor
}

// SetSteps keeps the statements of a Run all, shown being the one whose
// answer the pane shows (-1 for none). When every statement ran and there
// were several, the list opens, its cursor on shown; a script that failed
// shows its error first (t lists the statements).
func (m *Model) SetSteps(list []Step, shown int) {
	m.steps = steps{list: list, shown: shown, current: max(shown, 0), open: len(list) > 1}
	if shown < 0 {
		m.steps.current = len(list) - 1
	}
	for i, s := range list {
		if s.Err != nil {
			m.steps.current, m.steps.open = i, false
		}
	}
}

// ShowStep shows statement i of the last Run all as queryID: its rows (the
// first page kept from the run; further pages are read with queryID), its
// message or its error. The returned command asks for pages still missing.
func (m *Model) ShowStep(queryID, i int) tea.Cmd {
	if i < 0 || i >= len(m.steps.list) {
		return nil
	}
	st := m.steps.list[i]
	var cmd tea.Cmd
	switch {
	case st.Err != nil:
		m.reset(queryID, st.SQL)
		m.mode = modeError
		m.err = st.Err
		cmd = m.shown()
	case st.Res == nil:
		m.reset(queryID, st.SQL)
		m.mode = modeMessage
		m.message = "not run: a statement before it failed"
		cmd = m.shown()
	default:
		cmd = m.SetResult(queryID, st.SQL, st.Res)
	}
	m.steps.shown, m.steps.current, m.steps.open = i, i, false
	return cmd
}

// stepTitle is "statement 2 of 5" while a Run all's statement is shown.
func (m Model) stepTitle() string {
	if len(m.steps.list) < 2 {
		return ""
	}
	if m.steps.open {
		return fmt.Sprintf("%d statements", len(m.steps.list))
	}
	if m.steps.shown < 0 {
		return ""
	}
	return fmt.Sprintf("statement %d of %d", m.steps.shown+1, len(m.steps.list))
}

// openSteps shows the statement list again (t).
func (m *Model) openSteps() bool {
	if len(m.steps.list) < 2 {
		return false
	}
	m.steps.open = true
	return true
}

// updateSteps handles the statement list: move, enter shows one, esc or
// t goes back to the result shown.
func (m Model) updateSteps(km tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	n := len(m.steps.list)
	switch {
	case km.Code == tea.KeyEscape, key.Matches(km, k.Statements):
		m.steps.open = false
	case key.Matches(km, k.Up):
		m.steps.current--
	case key.Matches(km, k.Down):
		m.steps.current++
	case key.Matches(km, k.Top):
		m.steps.current = 0
	case key.Matches(km, k.Bottom):
		m.steps.current = n - 1
	case key.Matches(km, k.View):
		i := m.steps.current
		return m, action.Emit(action.ShowStatement{Index: i, SQL: m.steps.list[i].SQL})
	}
	m.steps.current = min(max(m.steps.current, 0), max(n-1, 0))
	return m, nil
}

// stepLines draws the statement list: number, line, the statement on one
// line and what it gave.
func (m Model) stepLines() []string {
	lines := []string{m.th.Title.Render(fmt.Sprintf("Run all · %d statements", len(m.steps.list)))}
	body := max(m.height-2, 1)
	top := 0
	if m.steps.current >= body {
		top = m.steps.current - body + 1
	}
	numW := len(fmt.Sprint(len(m.steps.list)))
	for i := top; i < len(m.steps.list) && len(lines) < m.height-1; i++ {
		st := m.steps.list[i]
		outcome, style := m.stepOutcome(st)
		head := fmt.Sprintf("%*d  line %-4d ", numW, i+1, st.Line)
		outW := min(ansi.StringWidth(outcome), max(m.width/2, 10))
		sqlW := max(m.width-ansi.StringWidth(head)-outW-3, 4)
		sql := textfit.Align(sanitize.Line(strings.Join(strings.Fields(st.SQL), " ")), sqlW, false)
		line := head + sql + "  " + textfit.Align(outcome, outW, false)
		if i == m.steps.current {
			lines = append(lines, m.th.CursorCell(m.focused).Render(textfit.Align(line, m.width, false)))
			continue
		}
		lines = append(lines, style.Render(line))
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return append(lines, m.th.Muted.Render("enter shows the statement's result · esc back · t this list"))
}

// stepOutcome says what a statement gave, and the style to say it in.
func (m Model) stepOutcome(st Step) (string, lipgloss.Style) {
	switch {
	case st.Err != nil:
		var apiErr *client.APIError
		msg := st.Err.Error()
		if errors.As(st.Err, &apiErr) && apiErr.Message != "" {
			msg = apiErr.Message
		}
		return "✖ " + sanitize.Line(msg), m.th.Bad
	case st.Res == nil:
		return "not run", m.th.Subtle
	case !st.Res.Returning():
		return "✓ " + messageFor(st.Res), m.th.Text
	}
	n := humanize.Comma(int64(len(st.Res.Rows)))
	if st.Res.HasMore {
		n += "+"
	}
	noun := " rows"
	if len(st.Res.Rows) == 1 && !st.Res.HasMore {
		noun = " row"
	}
	return "✓ " + n + noun, m.th.Text
}
