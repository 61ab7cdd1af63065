package editor

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// source names the editor in action.RunQuery so the root files the query
// in the history.
const source = "editor"

// target returns the statements a run or explain applies to: those of the
// selection when there is one, else the statement under the cursor. Lines
// are 1-based lines of the buffer.
func (m Model) target() []action.Statement {
	if a, b, ok := m.selection(); ok {
		var out []action.Statement
		for _, st := range m.dialect.Split(m.buf.slice(a, b)) {
			out = append(out, action.Statement{SQL: st.Text, Line: a.row + st.Line})
		}
		return out
	}
	st, ok := m.dialect.StatementAt(m.buf.text(), m.buf.offset(m.cur))
	if !ok {
		return nil
	}
	return []action.Statement{{SQL: st.Text, Line: st.Line}}
}

// all returns every statement of the buffer.
func (m Model) all() []action.Statement {
	var out []action.Statement
	for _, st := range m.dialect.Split(m.buf.text()) {
		out = append(out, action.Statement{SQL: st.Text, Line: st.Line})
	}
	return out
}

// run turns statements into the action that runs them, behind the
// read-only refusal and the confirmation of destructive statements.
func (m Model) run(stmts []action.Statement) tea.Cmd {
	if len(stmts) == 0 {
		return action.Emit(action.Status{Text: "nothing to run"})
	}
	sqls := make([]string, len(stmts))
	for i, st := range stmts {
		sqls[i] = st.SQL
	}
	// the engine refuses a read-only session's writes anyway (read_only);
	// this is the earlier word, before any confirmation is asked
	if i := (app.Statements{ReadOnly: m.readOnly, Dialect: m.dialect}).FirstWrite(sqls...); i >= 0 {
		return action.Emit(action.Status{
			Text:  fmt.Sprintf("read-only: refused the statement on line %d (it writes)", stmts[i].Line),
			Error: true,
		})
	}
	var msg tea.Msg = action.RunQuery{SQL: stmts[0].SQL, Source: source, Line: stmts[0].Line}
	if len(stmts) > 1 {
		msg = action.RunScript{Statements: stmts}
	}
	if i, why := app.FirstDestructive(m.dialect, sqls...); i >= 0 {
		st := stmts[i]
		return action.Emit(action.Confirm{
			Prompt: "Run a destructive statement?",
			Detail: fmt.Sprintf("%s (line %d):\n\n%s", why, st.Line, sanitize.Text(shorten(st.SQL, 12))),
			OnYes:  msg,
		})
	}
	return action.Emit(msg)
}

// explain asks for the plan of the first target statement.
func (m Model) explain() tea.Cmd {
	stmts := m.target()
	if len(stmts) == 0 {
		return action.Emit(action.Status{Text: "nothing to explain"})
	}
	return action.Emit(action.Explain{SQL: stmts[0].SQL})
}

// shorten keeps the first n lines of s for a dialog.
func shorten(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + "\n…"
}
