package client

import (
	"context"
	"net/http"
	"net/url"
)

// Root calls GET /, which every gateway (MK1 included) answers with a
// greeting.
func (c *Client) Root(ctx context.Context) (*MessageResult, error) {
	var out MessageResult
	if err := c.getJSON(ctx, "/", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Ping checks that the gateway answers GET /.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.Root(ctx)
	return err
}

// Spawn creates the database, or starts it again with its data when it was
// pruned (Restarted). Created is true when it did not exist before.
func (c *Client) Spawn(ctx context.Context, db string) (*SpawnResult, error) {
	path, err := dbPath("/admin/databases/spawn/", db, "")
	if err != nil {
		return nil, err
	}
	var out SpawnResult
	if _, err := c.postJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	out.Created = out.Message == MessageSpawned && !out.Restarted
	return &out, nil
}

// Prune stops the database; its data file is kept and a later Spawn brings
// it back. An unknown or already pruned database is a 404.
func (c *Client) Prune(ctx context.Context, db string) (*MessageResult, error) {
	path, err := dbPath("/admin/databases/prune/", db, "")
	if err != nil {
		return nil, err
	}
	var out MessageResult
	if _, err := c.postJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDatabases lists running databases, or all of them (pruned included)
// when all is true. An MK1 gateway lists running ones only.
func (c *Client) ListDatabases(ctx context.Context, all bool) ([]Database, error) {
	var q url.Values
	if all {
		q = url.Values{"status": {"all"}}
	}
	out := []Database{}
	if err := c.getJSON(ctx, "/admin/databases", q, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Discovery lists every database with its status (GET /admin/discovery).
func (c *Client) Discovery(ctx context.Context) ([]DiscoveryEntry, error) {
	out := []DiscoveryEntry{}
	if err := c.getJSON(ctx, "/admin/discovery", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GatewayStats returns request counters by route pattern and status.
func (c *Client) GatewayStats(ctx context.Context) (*GatewayStats, error) {
	var out GatewayStats
	if err := c.getJSON(ctx, "/admin/gateway/stats", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Database returns one database's details: tables with row counts,
// indexes, page and WAL facts. DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Database(ctx context.Context, db string) (*DatabaseDetails, error) {
	path, err := dbPath("/admin/databases/", db, "")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "database details"); err != nil {
		return nil, err
	}
	var out DatabaseDetails
	if err := c.getJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDatabase removes the database and its files for good. The gateway
// refuses (400) unless force is true. DB-Forge extension: ErrUnsupported
// on MK1.
func (c *Client) DeleteDatabase(ctx context.Context, db string, force bool) (*MessageResult, error) {
	path, err := dbPath("/admin/databases/", db, "")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "delete database"); err != nil {
		return nil, err
	}
	var q url.Values
	if force {
		q = url.Values{"force": {"true"}}
	}
	resp, err := c.do(ctx, request{method: http.MethodDelete, path: path, query: q})
	if err != nil {
		return nil, err
	}
	var out MessageResult
	if err := decodeJSON(resp.Body(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DatabaseStats returns the database's live health: counters, latency
// percentiles and the recent series. DB-Forge extension: ErrUnsupported on
// MK1.
func (c *Client) DatabaseStats(ctx context.Context, db string) (*DatabaseStats, error) {
	path, err := dbPath("/admin/databases/", db, "/stats")
	if err != nil {
		return nil, err
	}
	if err := c.requireExtended(ctx, "database stats"); err != nil {
		return nil, err
	}
	var out DatabaseStats
	if err := c.getJSON(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Health returns the gateway's health. An unhealthy gateway (503) is not
// an error: the answer has Status "unhealthy" and the failures in Errors.
// DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	if err := c.requireExtended(ctx, "health"); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/health"})
	if err != nil {
		return nil, err
	}
	if h, ok := healthDocument(resp.StatusCode(), resp.Body()); ok {
		return h, nil
	}
	return nil, parseAPIError(resp.StatusCode(), resp.Body())
}

// Metrics returns the Prometheus text exposition of GET /metrics.
// DB-Forge extension: ErrUnsupported on MK1.
func (c *Client) Metrics(ctx context.Context) (string, error) {
	if err := c.requireExtended(ctx, "metrics"); err != nil {
		return "", err
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: "/metrics"})
	if err != nil {
		return "", err
	}
	return string(resp.Body()), nil
}
