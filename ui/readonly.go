package ui

import (
	"context"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
)

// readOnlyAPI is the API a read-only session talks through: every statement
// it sends carries read_only, so SQLite itself refuses writes whatever the
// text looks like, and the changes internal/app lists (app.Changes) are
// refused outright by app.ReadOnlyChanges. Statements from the editor
// already carry read_only (app.Statements, whose FirstWrite is only an
// early, friendlier word); this covers what the model sends on its own
// behalf: pages, counts, sorts, plans.
type readOnlyAPI struct {
	// one level up from the session, so its refusals win over the
	// session's calls of the same name
	app.ReadOnlyChanges
	readSession
}

// readSession is the session's API one embedding level down.
type readSession struct{ API }

func (r readOnlyAPI) Query(ctx context.Context, db string, q client.QueryRequest) (*client.QueryResult, error) {
	q.ReadOnly = true
	return r.API.Query(ctx, db, q)
}

func (r readOnlyAPI) Explain(ctx context.Context, db string, q client.QueryRequest) (*client.Plan, error) {
	q.ReadOnly = true
	return r.API.Explain(ctx, db, q)
}
