// Package action holds the messages panes send to the root model. Panes never
// call the client: they return a tea.Cmd producing one of these, and the
// root model (ui) turns it into a client call and routes the answer back.
package action

import tea "charm.land/bubbletea/v2"

// Emit wraps an action as a tea.Cmd.
func Emit(a tea.Msg) tea.Cmd { return func() tea.Msg { return a } }

// SelectDatabase makes Name the current database every pane follows.
type SelectDatabase struct{ Name string }

// SpawnDatabase asks for a new (or restarted) database; Backend is its
// storage engine ("" lets the gateway choose).
type SpawnDatabase struct{ Name, Backend string }

// ForkDatabase asks for a consistent copy of Source as the new database To.
type ForkDatabase struct{ Source, To string }

// PruneDatabase stops a database, keeping its data.
type PruneDatabase struct{ Name string }

// DeleteDatabase removes a database and its files for good (already confirmed).
type DeleteDatabase struct{ Name string }

// RefreshDatabases reloads the database list; All includes pruned ones.
type RefreshDatabases struct{ All bool }

// RunQuery runs SQL against the current database. Source says what started
// it ("editor", "preview", …) for the status bar and history.
type RunQuery struct {
	SQL    string
	Source string
	Line   int // 1-based line of the statement in the editor (0: not from the editor)
}

// RunScript runs statements in order, stopping at the first error.
type RunScript struct {
	Statements []Statement
}

// Statement is one statement of a script with where it starts, for errors
// that name the statement and line.
type Statement struct {
	SQL  string
	Line int
}

// FetchPage asks for rows [Offset, Offset+Limit) of the result identified by
// QueryID (the results pane is virtualized: it asks only for what it shows).
type FetchPage struct {
	QueryID int
	Offset  int
	Limit   int
}

// CountRows asks for the total row count of the result QueryID (for G / end).
type CountRows struct{ QueryID int }

// Explain asks for the query plan of SQL.
type Explain struct{ SQL string }

// PreviewTable shows the first rows of a table in the results pane.
type PreviewTable struct{ Table string }

// InsertSQL puts Text into the editor (replacing its content when Replace).
type InsertSQL struct {
	Text    string
	Replace bool
}

// RefreshSchema reloads the schema of the current database.
type RefreshSchema struct{}

// Copy puts Text on the system clipboard (OSC 52, works over SSH).
type Copy struct{ Text, What string }

// ExportResult writes the current result to a file.
type ExportResult struct {
	QueryID int
	Path    string
	Format  string // "csv" or "json"
}

// Status shows a message in the status bar.
type Status struct {
	Text  string
	Error bool
}

// Focus moves focus to a pane by name ("databases", "schema", "health",
// "editor", "results") and, for the results area, a tab ("results",
// "chart", "plan").
type Focus struct{ Pane, Tab string }

// Confirm asks the user a yes/no question in an overlay; OnYes is sent when
// the user confirms.
type Confirm struct {
	Prompt string
	Detail string
	OnYes  tea.Msg
}
