package ui

import (
	"context"
	"errors"

	"github.com/dbforge/dbforge/client"
)

// errReadOnly refuses a lifecycle call in read-only mode.
var errReadOnly = errors.New("read-only: not allowed")

// readOnlyAPI is the API a read-only session talks through: every statement
// it sends carries read_only, so SQLite itself refuses writes whatever the
// text looks like (the editor's guess from the SQL text is only an early,
// friendlier message), and lifecycle calls are refused outright.
type readOnlyAPI struct{ API }

func (r readOnlyAPI) Query(ctx context.Context, db string, q client.QueryRequest) (*client.QueryResult, error) {
	q.ReadOnly = true
	return r.API.Query(ctx, db, q)
}

func (r readOnlyAPI) Explain(ctx context.Context, db string, q client.QueryRequest) (*client.Plan, error) {
	q.ReadOnly = true
	return r.API.Explain(ctx, db, q)
}

func (readOnlyAPI) Spawn(context.Context, string) (*client.SpawnResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) Prune(context.Context, string) (*client.MessageResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) DeleteDatabase(context.Context, string, bool) (*client.MessageResult, error) {
	return nil, errReadOnly
}

// underlying is the wrapped client, for the optional interfaces (audit,
// transfers) the wrapper does not forward itself.
func (r readOnlyAPI) underlying() API { return r.API }

// optional returns api as T when the client behind it has those methods.
func optional[T any](api API) (T, bool) {
	if w, ok := api.(interface{ underlying() API }); ok {
		api = w.underlying()
	}
	t, ok := api.(T)
	return t, ok
}
