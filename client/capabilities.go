package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Capabilities reports what the gateway can do, probing it once with GET
// /health: a DB-Forge gateway answers with its health document (200, or
// 503 when unhealthy); an MK1 gateway has no such route. The answer is
// cached in the Client; a failed probe (gateway unreachable) is not, so the
// next call probes again.
func (c *Client) Capabilities(ctx context.Context) (Capabilities, error) {
	c.capsMu.Lock()
	defer c.capsMu.Unlock()
	if c.caps != nil {
		return *c.caps, nil
	}
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/health"})
	if err != nil {
		return Capabilities{}, err
	}
	caps := Capabilities{}
	if h, ok := healthDocument(resp.StatusCode(), resp.Body()); ok {
		caps = Capabilities{Extended: true, Version: h.Version}
	} else if resp.StatusCode() == http.StatusUnauthorized || resp.StatusCode() >= 500 {
		// not an answer about the routes; do not cache a guess
		return Capabilities{}, parseAPIError(resp.StatusCode(), resp.Body())
	}
	c.caps = &caps
	return caps, nil
}

// healthDocument parses a DB-Forge /health answer; ok is false for
// anything else (MK1's 404, a proxy's page).
func healthDocument(status int, body []byte) (*Health, bool) {
	if status != http.StatusOK && status != http.StatusServiceUnavailable {
		return nil, false
	}
	var probe struct {
		Health
		Databases *HealthCounts `json:"databases"`
	}
	if json.Unmarshal(body, &probe) != nil || probe.Status == "" || probe.Databases == nil {
		return nil, false
	}
	h := probe.Health
	h.Databases = *probe.Databases
	return &h, true
}

// requireExtended fails with ErrUnsupported when the gateway lacks the
// DB-Forge extensions; feature names the method for the message.
func (c *Client) requireExtended(ctx context.Context, feature string) error {
	ok, err := c.extended(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: %w (MK1 gateway)", feature, ErrUnsupported)
	}
	return nil
}

func (c *Client) extended(ctx context.Context) (bool, error) {
	caps, err := c.Capabilities(ctx)
	return caps.Extended, err
}
