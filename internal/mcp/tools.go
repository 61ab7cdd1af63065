package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/dbname"
	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// Tool inputs and outputs. Field tags are the JSON schema a model sees:
// a field without omitempty is required, the jsonschema tag is its
// description.

type listDatabasesIn struct {
	All bool `json:"all,omitempty" jsonschema:"also list pruned (stopped) databases; default false: running ones only"`
}

type databaseInfo struct {
	Name         string    `json:"name"`
	Backend      string    `json:"backend,omitempty" jsonschema:"storage engine: sqlite or postgres (its SQL dialect is the one query speaks)"`
	Status       string    `json:"status" jsonschema:"running, or stopped (pruned: data kept, spawn_database starts it again)"`
	SizeBytes    int64     `json:"size_bytes"`
	LastAccessed time.Time `json:"last_accessed,omitzero"`
}

type listDatabasesOut struct {
	Databases []databaseInfo `json:"databases"`
}

type nameIn struct {
	Name string `json:"name" jsonschema:"database name: letters, digits, _ . - (starting with a letter or digit), at most 200 characters"`
}

type spawnIn struct {
	Name     string `json:"name" jsonschema:"database name: letters, digits, _ . - (starting with a letter or digit), at most 200 characters"`
	Backend  string `json:"backend,omitempty" jsonschema:"storage engine of a new database: sqlite (the default) or postgres (a PostgreSQL database, when the server has a PostgreSQL server configured; otherwise the error names the backends it has). Ignored when the database exists already"`
	Template string `json:"template,omitempty" jsonschema:"create the database from this template: ecommerce (a demo shop with data), app (users and sessions), kv (key-value store), events (time series), or one of the server's own; an unknown name's error lists them"`
	FromSQL  string `json:"from_sql,omitempty" jsonschema:"create the database from this SQL script instead (several statements, run in one transaction)"`
}

type spawnOut struct {
	DBName    string `json:"db_name"`
	Backend   string `json:"backend,omitempty" jsonschema:"the database's storage engine: sqlite or postgres"`
	Created   bool   `json:"created" jsonschema:"true when the database did not exist before"`
	Restarted bool   `json:"restarted" jsonschema:"true when a pruned database was started again with its data"`
	Message   string `json:"message"`
}

type messageOut struct {
	DBName  string `json:"db_name"`
	Message string `json:"message"`
}

type deleteIn struct {
	Name    string `json:"name" jsonschema:"the database to delete"`
	Confirm string `json:"confirm" jsonschema:"repeat the database name exactly: deleting removes the database and all its files for good (prune_database keeps the data)"`
}

type forkIn struct {
	Source string `json:"source" jsonschema:"the database to copy"`
	Target string `json:"target" jsonschema:"name of the new database; must not exist"`
	Backup string `json:"backup,omitempty" jsonschema:"copy this backup of source (a name from list_backups) instead of the live database"`
}

type forkOut struct {
	DBName  string `json:"db_name"`
	Source  string `json:"source"`
	Backup  string `json:"backup,omitempty"`
	Message string `json:"message"`
}

type queryIn struct {
	Database string          `json:"database"`
	SQL      string          `json:"sql" jsonschema:"exactly one statement in the database's dialect (SQLite or PostgreSQL, see list_databases); put values in params as ? (positional) or :name (named) placeholders, never into the SQL text"`
	Params   json.RawMessage `json:"params,omitempty" jsonschema:"values for the placeholders: an array for ? placeholders, an object for :name ones; a BLOB is {\"$blob\": \"<base64>\"}"`
	Limit    int             `json:"limit,omitempty" jsonschema:"most rows to return (default 100); has_more says when rows were left out"`
}

type queryOut struct {
	Columns      []client.Column `json:"columns,omitempty" jsonschema:"result columns in order, with their declared types (SQLite or PostgreSQL)"`
	Rows         [][]any         `json:"rows,omitempty" jsonschema:"one array per row, values in column order; a BLOB is {\"$blob\": \"<base64>\"}"`
	RowCount     int             `json:"row_count"`
	HasMore      bool            `json:"has_more" jsonschema:"true when more rows matched than were returned: raise limit or narrow the query"`
	RowsAffected int64           `json:"rows_affected" jsonschema:"rows changed by a statement that returns no rows"`
	LastInsertID int64           `json:"last_insert_id,omitempty"`
	Message      string          `json:"message,omitempty"`
}

type schemaIn struct {
	Database string `json:"database"`
	Table    string `json:"table,omitempty" jsonschema:"only this table or view; default every one"`
}

type explainIn struct {
	Database string          `json:"database"`
	SQL      string          `json:"sql" jsonschema:"the statement to plan (it is not run)"`
	Params   json.RawMessage `json:"params,omitempty" jsonschema:"values for its placeholders, as for query"`
}

type databaseIn struct {
	Database string `json:"database"`
}

type listBackupsOut struct {
	Backups []client.BackupInfo `json:"backups" jsonschema:"newest first"`
}

type restoreIn struct {
	Database string `json:"database"`
	Backup   string `json:"backup" jsonschema:"a backup name from list_backups; the database's current content is replaced by it"`
}

// defaultQueryLimit keeps a model's context small unless it asks for more.
const defaultQueryLimit = 100

func (s *server) addTools(srv *sdk.Server) {
	addTool(s, srv, tool{name: "list_databases", title: "List databases", idempotent: true,
		description: "List the databases this key can see, with status and size."},
		func(ctx context.Context, c *client.Client, in listDatabasesIn) (listDatabasesOut, error) {
			dbs, err := c.ListDatabases(ctx, in.All)
			out := listDatabasesOut{Databases: []databaseInfo{}}
			for _, d := range dbs {
				out.Databases = append(out.Databases, databaseInfo{d.Name, d.Backend, d.Status, d.SizeBytes, d.LastAccessed})
			}
			return out, err
		})

	addTool(s, srv, tool{name: "spawn_database", title: "Create a database", writes: true, refine: all(names("name"), oneOf("backend", client.Backends())),
		description: "Create a new database, SQLite by default or PostgreSQL with backend postgres: empty, from a template, or from a SQL script (a failing script creates nothing). Without template or from_sql it also starts a pruned database again with its data, and leaves a running one as it is; with them the name must be new."},
		func(ctx context.Context, c *client.Client, in spawnIn) (spawnOut, error) {
			r, err := c.SpawnWith(ctx, in.Name, client.SpawnOptions{Backend: in.Backend, Template: in.Template, FromSQL: in.FromSQL})
			if err != nil {
				return spawnOut{}, err
			}
			return spawnOut{DBName: in.Name, Backend: r.Backend, Created: r.Created, Restarted: r.Restarted, Message: r.Message}, nil
		})

	addTool(s, srv, tool{name: "prune_database", title: "Stop a database", writes: true, refine: names("name"),
		description: "Stop a running database and keep its data; spawn_database starts it again."},
		func(ctx context.Context, c *client.Client, in nameIn) (messageOut, error) {
			r, err := c.Prune(ctx, in.Name)
			if err != nil {
				return messageOut{}, err
			}
			return messageOut{DBName: in.Name, Message: r.Message}, nil
		})

	addTool(s, srv, tool{name: "delete_database", title: "Delete a database for good", writes: true, destructive: true, refine: names("name"),
		description: "Delete a database and all its files permanently. This cannot be undone: confirm must repeat the database name."},
		func(ctx context.Context, c *client.Client, in deleteIn) (messageOut, error) {
			if in.Confirm != in.Name {
				return messageOut{}, errors.New("not deleted: confirm must be exactly the database name (" + in.Name + ")")
			}
			r, err := c.DeleteDatabase(ctx, in.Name, true)
			if err != nil {
				return messageOut{}, err
			}
			return messageOut{DBName: in.Name, Message: r.Message}, nil
		})

	addTool(s, srv, tool{name: "fork_database", title: "Fork a database", writes: true, refine: names("source", "target"),
		description: "Copy a database as a new, independent database: a consistent snapshot of it right now (writes to it go on), or one of its backups. Use a fork to try changes safely; changes to either never show in the other."},
		func(ctx context.Context, c *client.Client, in forkIn) (forkOut, error) {
			r, err := c.Fork(ctx, in.Source, in.Target, in.Backup)
			if err != nil {
				return forkOut{}, err
			}
			return forkOut{DBName: r.DBName, Source: r.Source, Backup: r.Backup, Message: r.Message}, nil
		})

	addTool(s, srv, tool{name: "query", title: "Run SQL", writes: true, destructive: true, readOnlyRuns: true,
		refine:      all(names("database"), params, atLeast("limit", 1)),
		description: "Run one SQL statement in the database's dialect, SQLite or PostgreSQL (SELECT, INSERT, UPDATE, DELETE, CREATE TABLE, …) with optional parameters. Rows come back compactly as arrays with typed columns; has_more says whether rows were left out past limit. With a read-only key only statements that do not write succeed."},
		func(ctx context.Context, c *client.Client, in queryIn) (queryOut, error) {
			limit := in.Limit
			if limit <= 0 {
				limit = defaultQueryLimit
			}
			r, err := c.Query(ctx, in.Database, client.QueryRequest{SQL: in.SQL, Params: paramsOf(in.Params), Limit: limit, Shape: "rows", ReadOnly: s.opts.ReadOnly})
			if err != nil {
				return queryOut{}, err
			}
			out := queryOut{Columns: r.Columns, Rows: wireRows(r.Rows), RowCount: r.RowCount, HasMore: r.HasMore,
				RowsAffected: r.RowsAffected, LastInsertID: r.LastInsertID, Message: r.Message}
			if r.Returning() {
				out.RowCount = len(r.Rows)
			}
			return out, nil
		})

	addTool(s, srv, tool{name: "schema", title: "Show the schema", idempotent: true, refine: names("database"),
		description: "Tables and views of a database with their columns (type, not null, default, primary key), indexes, foreign keys, row counts, and triggers."},
		func(ctx context.Context, c *client.Client, in schemaIn) (*client.Schema, error) {
			return c.Schema(ctx, in.Database, in.Table)
		})

	addTool(s, srv, tool{name: "explain", title: "Explain a query plan", idempotent: true, refine: all(names("database"), params),
		description: "Show the query plan of a statement (SQLite's, or PostgreSQL's with its costs) as a tree (id, parent, detail) without running it: see whether it uses an index or scans a table."},
		func(ctx context.Context, c *client.Client, in explainIn) (*client.Plan, error) {
			return c.Explain(ctx, in.Database, client.QueryRequest{SQL: in.SQL, Params: paramsOf(in.Params)})
		})

	s.addTransferTools(srv)
}

// wireRows writes BLOB values in the wire's encoding (internal/jsonvalue:
// {"$blob": base64}), so a model tells them from text as an API client
// would. Other values go as they are: the SDK re-encodes the structured
// result, so a REAL is told by its column's type, not by a fraction. The
// rows are this call's own and are rewritten in place.
func wireRows(rows [][]any) [][]any {
	for _, row := range rows {
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				row[i] = json.RawMessage(jsonvalue.AppendBlob(nil, b))
			}
		}
	}
	return rows
}

// Schema refinements shared by the tools.

// names makes the named properties database names: the rule's pattern and
// length, so a model learns it before it calls.
func names(props ...string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		maxLen := dbname.MaxLen
		for _, p := range props {
			s.Properties[p].Pattern = dbname.Pattern
			s.Properties[p].MaxLength = &maxLen
		}
	}
}

// params types a params property: an array (for ? placeholders) or an
// object (for :name ones). The Go field is raw JSON, so what is inferred
// for it is replaced, keeping its description.
func params(s *jsonschema.Schema) {
	s.Properties["params"] = &jsonschema.Schema{Types: []string{"array", "object"}, Description: s.Properties["params"].Description}
}

// paramsOf hands a call's params to the client as JSON, not as Go values:
// decoded into any, every number is a float64, which the client sends as a
// float (1000000 as 1e+06), and a PostgreSQL integer column refuses that.
// (The SDK itself checks arguments through float64, so integers past 2^53
// cannot arrive exact over MCP.)
func paramsOf(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return raw
}

// oneOf limits a string property to the given values.
func oneOf(prop string, values []string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		for _, v := range values {
			s.Properties[prop].Enum = append(s.Properties[prop].Enum, v)
		}
	}
}

// atLeast gives an integer property a lower bound.
func atLeast(prop string, n float64) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Properties[prop].Minimum = &n }
}

// all applies several refinements.
func all(fs ...func(*jsonschema.Schema)) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		for _, f := range fs {
			f(s)
		}
	}
}
