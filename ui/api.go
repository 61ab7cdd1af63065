package ui

import (
	"context"
	"io"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/app"
)

// API is the client surface the root model calls: one interface, so no
// call path depends on a type assertion. *client.Client satisfies it in
// embedded and remote mode (against MK1 it answers client.ErrUnsupported
// where MK1 has no route); test fakes embed unimplemented and override
// what they need.
type API interface {
	// lifecycle and health; the changes (spawn, the demo database too,
	// prune, delete, fork, import, restore) are app.Changes, the list a
	// read-only session refuses
	ListDatabases(ctx context.Context, all bool) ([]client.Database, error)
	app.Changes
	DatabaseStats(ctx context.Context, name string) (*client.DatabaseStats, error)
	GatewayStats(ctx context.Context) (*client.GatewayStats, error)
	Health(ctx context.Context) (*client.Health, error)
	Audit(ctx context.Context, q client.AuditQuery) (*client.AuditLog, error)

	// statements
	Query(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error)
	Schema(ctx context.Context, db, table string) (*client.Schema, error)
	Explain(ctx context.Context, db string, req client.QueryRequest) (*client.Plan, error)

	// data in and out: export, import, backup and restore as internal/app
	// calls them, and the backup list
	app.Transfers
	Backups(ctx context.Context, db string) ([]client.BackupInfo, error)
}

// The real client must keep satisfying API.
var _ API = (*client.Client)(nil)

// unimplemented answers every API call with client.ErrUnsupported, as a
// gateway without the route would; fakes embed it.
type unimplemented struct{}

var _ API = unimplemented{}

func (unimplemented) ListDatabases(context.Context, bool) ([]client.Database, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Spawn(context.Context, string) (*client.SpawnResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) SpawnWith(context.Context, string, client.SpawnOptions) (*client.SpawnResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Prune(context.Context, string) (*client.MessageResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) DeleteDatabase(context.Context, string, bool) (*client.MessageResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Fork(context.Context, string, string, string) (*client.ForkResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) DatabaseStats(context.Context, string) (*client.DatabaseStats, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) GatewayStats(context.Context) (*client.GatewayStats, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Health(context.Context) (*client.Health, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Audit(context.Context, client.AuditQuery) (*client.AuditLog, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Query(context.Context, string, client.QueryRequest) (*client.QueryResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Schema(context.Context, string, string) (*client.Schema, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Explain(context.Context, string, client.QueryRequest) (*client.Plan, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) ExportCSV(context.Context, string, string, io.Writer, ...client.TransferOption) (int64, error) {
	return 0, client.ErrUnsupported
}
func (unimplemented) ExportJSON(context.Context, string, string, bool, io.Writer, ...client.TransferOption) (int64, error) {
	return 0, client.ErrUnsupported
}
func (unimplemented) ExportSQL(context.Context, string, io.Writer, ...client.TransferOption) (int64, error) {
	return 0, client.ErrUnsupported
}
func (unimplemented) ExportQuery(context.Context, string, client.ExportQueryRequest, io.Writer, ...client.TransferOption) (int64, error) {
	return 0, client.ErrUnsupported
}
func (unimplemented) ImportCSV(context.Context, string, io.Reader, client.ImportCSVOptions, ...client.TransferOption) (*client.ImportResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) ImportSQL(context.Context, string, io.Reader, ...client.TransferOption) (*client.ScriptResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Backup(context.Context, string) (*client.BackupResult, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Backups(context.Context, string) ([]client.BackupInfo, error) {
	return nil, client.ErrUnsupported
}
func (unimplemented) Restore(context.Context, string, string) (*client.BackupResult, error) {
	return nil, client.ErrUnsupported
}
