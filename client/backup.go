package client

import (
	"context"
	"encoding/json"
	"errors"
)

// Backup takes a consistent online snapshot of db (writes may continue
// meanwhile) and describes it. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Backup(ctx context.Context, db string) (*BackupResult, error) {
	path, err := dbPath("/admin/databases/", db, "/backup")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "backup"); err != nil {
		return nil, err
	}
	var out BackupResult
	if _, err := c.postJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Backups lists db's backups, newest first. DB-Forge extension:
// ErrUnsupported on MK1.
func (c *Client) Backups(ctx context.Context, db string) ([]BackupInfo, error) {
	path, err := dbPath("/admin/databases/", db, "/backups")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "list backups"); err != nil {
		return nil, err
	}
	out := []BackupInfo{}
	if err := c.getJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Restore replaces db's content with the backup called name (one of
// Backups' names). An unknown backup is a 404 with CodeBackupNotFound.
// DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Restore(ctx context.Context, db, name string) (*BackupResult, error) {
	path, err := dbPath("/admin/databases/", db, "/restore")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("backup name is required")
	}
	if err := c.requireExtended(ctx, "restore"); err != nil {
		return nil, err
	}
	body, err := json.Marshal(struct {
		Backup string `json:"backup"`
	}{name})
	if err != nil {
		return nil, err
	}
	var out BackupResult
	if _, err := c.postJSON(ctx, path, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
