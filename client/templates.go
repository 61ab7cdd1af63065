package client

import (
	"context"
	"encoding/json"
	"errors"
)

// SpawnOptions fill a new database when it is created. Set one of them.
type SpawnOptions struct {
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

// SpawnWith creates database db filled from a template or a script. The
// database must not exist (409 DATABASE_ALREADY_EXISTS); an unknown
// template is a 404 TEMPLATE_NOT_FOUND; a failing script creates nothing.
// With empty options it is Spawn. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) SpawnWith(ctx context.Context, db string, opts SpawnOptions) (*SpawnResult, error) {
	if opts.Template == "" && opts.FromSQL == "" {
		return c.Spawn(ctx, db)
	}
	if opts.Template != "" && opts.FromSQL != "" {
		return nil, errors.New("spawn: give a template or a script, not both")
	}
	path, err := dbPath("/admin/databases/spawn/", db, "")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "spawn from a template"); err != nil {
		return nil, err
	}
	body := map[string]string{}
	if opts.Template != "" {
		body["template"] = opts.Template
	} else {
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
	out.Created = true
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
