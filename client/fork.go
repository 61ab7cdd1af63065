package client

import (
	"context"
	"net/url"
	"time"
)

// ForkResult is the answer to POST /admin/databases/{db}/fork/{to}.
type ForkResult struct {
	Message string `json:"message"`
	DBName  string `json:"db_name"` // the new database
	Source  string `json:"source"`
	Backup  string `json:"backup,omitempty"` // the backup forked from; "" for the live database
	// ID is the new database's stable id (container_id on the wire).
	ID        string    `json:"container_id"`
	Status    string    `json:"status"`
	Backend   string    `json:"backend"`
	CreatedAt time.Time `json:"created_at"`
}

// Fork copies database db as the new, independent database to: a
// consistent snapshot of the live database taken while writes go on, or,
// when backup names one of db's backups, that backup. It needs an admin
// key with both names in scope; an existing to is a 409
// DATABASE_ALREADY_EXISTS. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Fork(ctx context.Context, db, to, backup string) (*ForkResult, error) {
	path, err := dbPath("/admin/databases/", db, "/fork/")
	if err != nil {
		return nil, err
	}
	next, err := dbPath(path, to, "")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "fork"); err != nil {
		return nil, err
	}
	var q url.Values
	if backup != "" {
		q = url.Values{"backup": {backup}}
	}
	resp, err := c.do(ctx, request{method: "POST", path: next, query: q})
	if err != nil {
		return nil, err
	}
	var out ForkResult
	if err := decodeJSON(resp.Body(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
