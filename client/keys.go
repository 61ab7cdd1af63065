package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CreateKey creates an API key (admin key required). The answer holds the
// plaintext key in Key: the gateway stores only its hash and never shows
// it again. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) CreateKey(ctx context.Context, k NewKey) (*CreatedKey, error) {
	if k.Name == "" || k.Role == "" {
		return nil, errors.New("key name and role are required")
	}
	if err := c.requireExtended(ctx, "create key"); err != nil {
		return nil, err
	}
	if k.Databases == nil {
		k.Databases = []string{}
	}
	body, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	var out CreatedKey
	if _, err := c.postJSON(ctx, "/admin/keys", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListKeys lists the gateway's API keys, revoked ones included; never the
// keys themselves. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) ListKeys(ctx context.Context) ([]APIKey, error) {
	if err := c.requireExtended(ctx, "list keys"); err != nil {
		return nil, err
	}
	out := []APIKey{}
	if err := c.getJSON(ctx, "/admin/keys", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeKey revokes the key with the given id at once; an unknown id is a
// 404. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) RevokeKey(ctx context.Context, id string) (*RevokedKey, error) {
	if id == "" {
		return nil, errors.New("key id is required")
	}
	if err := c.requireExtended(ctx, "revoke key"); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, request{method: http.MethodDelete, path: "/admin/keys/" + url.PathEscape(id)})
	if err != nil {
		return nil, err
	}
	var out RevokedKey
	if err := decodeJSON(resp.Body(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Audit reads the gateway's audit log, newest first, filtered by q.
// DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Audit(ctx context.Context, q AuditQuery) (*AuditLog, error) {
	if q.Limit < 0 {
		return nil, errors.New("limit must not be negative")
	}
	if err := c.requireExtended(ctx, "audit log"); err != nil {
		return nil, err
	}
	v := url.Values{}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Database != "" {
		v.Set("db", q.Database)
	}
	if q.Key != "" {
		v.Set("key", q.Key)
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.UTC().Format(time.RFC3339Nano))
	}
	var out AuditLog
	if err := c.getJSON(ctx, "/admin/audit", v, &out); err != nil {
		return nil, err
	}
	if out.Entries == nil {
		out.Entries = []AuditEntry{}
	}
	return &out, nil
}
