package ui

import (
	"context"
	"errors"
	"io"

	"github.com/dbforge/dbforge/client"
)

// errReadOnly refuses a lifecycle call in read-only mode.
var errReadOnly = errors.New("read-only: not allowed")

// readOnlyAPI is the API a read-only session talks through: every statement
// it sends carries read_only, so SQLite itself refuses writes whatever the
// text looks like, and lifecycle calls are refused outright. Statements
// from the editor already carry it (app.Statements, whose FirstWrite is
// only an early, friendlier word); this covers what the model sends on
// its own behalf: pages, counts, sorts, plans.
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

func (readOnlyAPI) SpawnWith(context.Context, string, client.SpawnOptions) (*client.SpawnResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) Prune(context.Context, string) (*client.MessageResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) DeleteDatabase(context.Context, string, bool) (*client.MessageResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) Fork(context.Context, string, string, string) (*client.ForkResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) ImportCSV(context.Context, string, io.Reader, client.ImportCSVOptions, ...client.TransferOption) (*client.ImportResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) ImportSQL(context.Context, string, io.Reader, ...client.TransferOption) (*client.ScriptResult, error) {
	return nil, errReadOnly
}

func (readOnlyAPI) Restore(context.Context, string, string) (*client.BackupResult, error) {
	return nil, errReadOnly
}
