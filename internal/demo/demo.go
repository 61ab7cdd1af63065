// Package demo builds the sample database a first run of the TUI opens on:
// a small shop (customers, products, orders, order items, a monthly revenue
// view) with a few thousand rows, generated from a fixed seed so every
// install shows the same data.
package demo

import (
	"context"
	"fmt"

	"github.com/dbforge/dbforge/client"
)

// Name is the database a first run creates.
const Name = "demo"

// API is the part of the client Seed needs.
type API interface {
	Spawn(ctx context.Context, name string) (*client.SpawnResult, error)
	Query(ctx context.Context, db string, req client.QueryRequest) (*client.QueryResult, error)
}

// Seed creates database name and fills it with the sample data. It is meant
// for an empty data directory; on a database that already has the tables it
// fails on the first CREATE TABLE and changes nothing.
func Seed(ctx context.Context, api API, name string) error {
	if _, err := api.Spawn(ctx, name); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	for i, stmt := range Statements() {
		if _, err := api.Query(ctx, name, client.QueryRequest{SQL: stmt}); err != nil {
			return fmt.Errorf("demo statement %d: %w", i+1, err)
		}
	}
	return nil
}
