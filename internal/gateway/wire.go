package gateway

import (
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/templates"
)

// The engine's values become the contract's types (package client) here,
// and only those are encoded onto the wire: the engine's structs carry no
// JSON of their own. Each function copies field by field; a nil slice stays
// nil (encoded null) and an empty one empty, as the engine made them.

// wireSlice converts each element, keeping nil apart from empty.
func wireSlice[E, W any](in []E, conv func(E) W) []W {
	if in == nil {
		return nil
	}
	out := make([]W, len(in))
	for i, e := range in {
		out[i] = conv(e)
	}
	return out
}

func wireDatabase(in engine.Instance) client.Database {
	return client.Database{
		Name: in.Name, ID: in.ID, Backend: in.Backend, Status: string(in.Status),
		CreatedAt: in.CreatedAt, LastAccessed: in.LastAccessed, ReadOnly: in.ReadOnly, SizeBytes: in.SizeBytes,
	}
}

// wireSpawn is a spawn's answer without its message and Restarted, which
// the handler words.
func wireSpawn(in engine.Instance) client.SpawnResult {
	return client.SpawnResult{DBName: in.Name, ID: in.ID, Status: string(in.Status), Backend: in.Backend}
}

func wireDetails(in engine.Details) client.DatabaseDetails {
	return client.DatabaseDetails{
		Database: wireDatabase(in.Instance),
		Tables: wireSlice(in.Tables, func(t engine.TableCount) client.TableCount {
			return client.TableCount{Name: t.Name, RowCount: t.RowCount}
		}),
		Indexes: wireSlice(in.Indexes, func(x engine.IndexRef) client.IndexRef {
			return client.IndexRef{Name: x.Name, Table: x.Table}
		}),
		PageSize: in.PageSize, PageCount: in.PageCount, JournalMode: in.JournalMode, WALBytes: in.WALBytes,
	}
}

func wireStats(in engine.Stats) client.DatabaseStats {
	return client.DatabaseStats{
		Name: in.Name, Status: string(in.Status), UptimeSeconds: in.UptimeSeconds,
		OpenConnections: in.OpenConnections, QueriesTotal: in.QueriesTotal, ErrorsTotal: in.ErrorsTotal,
		RowsRead: in.RowsRead, RowsWritten: in.RowsWritten, SizeBytes: in.SizeBytes, WALBytes: in.WALBytes,
		Latency: client.Latency{P50: in.Latency.P50, P95: in.Latency.P95, P99: in.Latency.P99},
		Series: wireSlice(in.Series, func(s engine.Sample) client.Sample {
			return client.Sample{T: s.T, QPS: s.QPS, P95Ms: s.P95Ms, Errors: s.Errors}
		}),
		SampledAt: in.SampledAt,
		Backend:   in.Backend, TransactionsTotal: in.TransactionsTotal,
	}
}

func wireColumn(c engine.Column) client.Column { return client.Column{Name: c.Name, Type: c.Type} }

func wireSchema(in engine.Schema) client.Schema {
	return client.Schema{
		Tables: wireSlice(in.Tables, func(t engine.TableSchema) client.TableSchema {
			return client.TableSchema{
				Name: t.Name, Type: t.Type, SQL: t.SQL, RowCount: t.RowCount,
				Columns: wireSlice(t.Columns, func(c engine.ColumnSchema) client.ColumnSchema {
					return client.ColumnSchema{Name: c.Name, Type: c.Type, NotNull: c.NotNull, Default: c.Default, PrimaryKey: c.PrimaryKey}
				}),
				Indexes: wireSlice(t.Indexes, func(x engine.IndexSchema) client.IndexSchema {
					return client.IndexSchema{Name: x.Name, Columns: x.Columns, Unique: x.Unique, SQL: x.SQL}
				}),
				ForeignKeys: wireSlice(t.ForeignKeys, func(fk engine.ForeignKey) client.ForeignKey {
					return client.ForeignKey{Columns: fk.Columns, RefTable: fk.RefTable, RefColumns: fk.RefColumns}
				}),
			}
		}),
		Triggers: wireSlice(in.Triggers, func(tr engine.Trigger) client.Trigger {
			return client.Trigger{Name: tr.Name, Table: tr.Table, SQL: tr.SQL}
		}),
	}
}

func wirePlan(in []engine.PlanNode) client.Plan {
	return client.Plan{Plan: wireSlice(in, func(n engine.PlanNode) client.PlanNode {
		return client.PlanNode{ID: n.ID, Parent: n.Parent, Detail: n.Detail}
	})}
}

func wireKey(in engine.Key) client.APIKey {
	return client.APIKey{
		ID: in.ID, Name: in.Name, Role: string(in.Role), Databases: in.Databases,
		CreatedAt: in.CreatedAt, LastUsedAt: in.LastUsedAt, RevokedAt: in.RevokedAt,
	}
}

func wireAuditEntry(in engine.AuditEntry) client.AuditEntry {
	return client.AuditEntry{
		ID: in.Seq, Time: in.Time, KeyID: in.KeyID, KeyName: in.KeyName, RemoteAddr: in.RemoteAddr,
		Route: in.Route, Database: in.Database, Kind: in.Kind, Rows: in.Rows, Status: in.Status,
		DurationMs: in.DurationMs, Count: in.Count,
	}
}

func wireBackupInfo(in engine.BackupInfo) client.BackupInfo {
	return client.BackupInfo{Name: in.Name, CreatedAt: in.CreatedAt, SizeBytes: in.SizeBytes}
}

func wireBackup(message, db string, in engine.BackupInfo) client.BackupResult {
	return client.BackupResult{Message: message, DBName: db, BackupInfo: wireBackupInfo(in)}
}

func wireImport(message string, in engine.ImportResult) client.ImportResult {
	return client.ImportResult{
		Message: message, Table: in.Table, RowsImported: in.Rows, Created: in.Created,
		Columns: wireSlice(in.Columns, wireColumn),
	}
}

func wireScript(message string, in engine.ScriptResult) client.ScriptResult {
	return client.ScriptResult{Message: message, Statements: in.Statements, RowsAffected: in.RowsAffected}
}

func wireTemplate(in templates.Template) client.Template {
	return client.Template{Name: in.Name, Description: in.Description, Source: in.Source}
}

func wireFork(message string, in engine.ForkInfo) client.ForkResult {
	return client.ForkResult{
		Message: message, DBName: in.Name, Source: in.Source, Backup: in.Backup,
		ID: in.ID, Status: string(in.Status), Backend: in.Backend, CreatedAt: in.CreatedAt,
	}
}
