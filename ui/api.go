package ui

import (
	"context"

	"github.com/dbforge/dbforge/client"
)

// API is the part of the client the root model calls. *client.Client
// satisfies it in both embedded and remote mode; tests use small fakes.
type API interface {
	ListDatabases(ctx context.Context, all bool) ([]client.Database, error)
	Spawn(ctx context.Context, name string) (*client.SpawnResult, error)
	Prune(ctx context.Context, name string) (*client.MessageResult, error)
	DeleteDatabase(ctx context.Context, name string, force bool) (*client.MessageResult, error)
	DatabaseStats(ctx context.Context, name string) (*client.DatabaseStats, error)
	GatewayStats(ctx context.Context) (*client.GatewayStats, error)
	Health(ctx context.Context) (*client.Health, error)
	Query(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error)
	Schema(ctx context.Context, db, table string) (*client.Schema, error)
	Explain(ctx context.Context, db string, req client.QueryRequest) (*client.Plan, error)
}

// The real client must keep satisfying API.
var _ API = (*client.Client)(nil)
