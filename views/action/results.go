package action

// Reorder asks for the result QueryID again, sorted and filtered by the
// database rather than on the cached page: the root wraps the statement
// (SELECT * FROM (…) WHERE … ORDER BY …) and answers through the results
// pane's SetReordered or ReorderFailed.
type Reorder struct {
	QueryID int
	Columns []string // the result's column names, in order
	Sort    string   // the column to sort by; "" keeps the statement's order
	Desc    bool
	Filter  string // keep rows where any column, as text, is LIKE %Filter% (any case); "" keeps all
	// Seq numbers the pane's requests: actions may arrive out of order,
	// and one older than the latest seen is dropped.
	Seq int
}

// CountBase asks for the row count of result QueryID before its filter,
// for the "N of M rows" of a filtered result.
type CountBase struct{ QueryID int }

// ShowStatement shows statement Index of the last Run all in the grid; SQL
// is its text, which pages of its result are read with.
type ShowStatement struct {
	Index int
	SQL   string
}
