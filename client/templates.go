package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// SpawnOptions choose a new database's backend and what fills it when it
// is created. Set at most one of Template and FromSQL.
type SpawnOptions struct {
	// Backend is the storage engine of a new database: BackendSQLite or
	// BackendPostgres; empty leaves the choice to the gateway (SQLite). A
	// gateway without that backend answers 400 naming the ones it has.
	Backend string
	// Template names a template of the gateway (see Templates).
	Template string
	// FromSQL is a script run in one transaction on the new database.
	FromSQL string
}

// Template is one entry of GET /admin/templates.
type Template struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"` // "bundled" or "user" (the gateway's <config dir>/templates)
}

// TemplateSpawnResult is the answer of a spawn from a template or a
// script: the spawn, the template (when one was named) and how many
// statements filled the database.
type TemplateSpawnResult struct {
	SpawnResult
	Template   string `json:"template,omitempty"`
	Statements int    `json:"statements"`
}

// SpawnWith is Spawn with options. With only a Backend it creates the
// database on that backend, or starts it again when it was pruned, as
// Spawn does. With a Template or FromSQL it creates database db filled from
// a template or a script: the database must not exist (409
// DATABASE_ALREADY_EXISTS); an unknown template is a 404
// TEMPLATE_NOT_FOUND; a failing script creates nothing. With empty options
// it is Spawn. DB-Forge extension: ErrUnsupported on MK1, except for
// Backend BackendSQLite alone, which is MK1's only kind of database.
func (c *Client) SpawnWith(ctx context.Context, db string, opts SpawnOptions) (*SpawnResult, error) {
	filled := opts.Template != "" || opts.FromSQL != ""
	if !filled && opts.Backend == "" {
		return c.Spawn(ctx, db)
	}
	if opts.Template != "" && opts.FromSQL != "" {
		return nil, errors.New("spawn: give a template or a script, not both")
	}
	path, err := dbPath("/admin/databases/spawn/", db, "")
	if err != nil {
		return nil, err
	}
	extended, err := c.extended(ctx)
	if err != nil {
		return nil, err
	}
	if !extended {
		if !filled && opts.Backend == BackendSQLite {
			return c.Spawn(ctx, db)
		}
		feature := "spawn from a template"
		if !filled {
			feature = "spawn on backend " + opts.Backend
		}
		return nil, fmt.Errorf("%s: %w (MK1 gateway)", feature, ErrUnsupported)
	}
	body := map[string]string{}
	if opts.Backend != "" {
		body["backend"] = opts.Backend
	}
	if opts.Template != "" {
		body["template"] = opts.Template
	} else if opts.FromSQL != "" {
		body["from_sql"] = opts.FromSQL
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	var out SpawnResult
	if _, err := c.postJSON(ctx, path, b, &out); err != nil {
		return nil, err
	}
	// a filled spawn only ever creates; a plain one may find or restart
	out.Created = filled || out.Message == MessageSpawned && !out.Restarted
	return &out, nil
}

// Templates lists the templates SpawnWith can use. DB-Forge extension:
// ErrUnsupported on MK1.
func (c *Client) Templates(ctx context.Context) ([]Template, error) {
	if err := c.requireExtended(ctx, "templates"); err != nil {
		return nil, err
	}
	out := []Template{}
	if err := c.getJSON(ctx, "/admin/templates", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
