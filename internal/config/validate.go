package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/dbforge/dbforge/theme"
)

// validate checks every resolved value and reports the first bad one with
// where it came from.
func (c *Config) validate() error {
	bad := func(key string, err error) error {
		return &Error{Key: key, Origin: c.Origin(key), Err: err}
	}
	if c.URL != "" {
		if err := checkURL(c.URL); err != nil {
			return bad("url", err)
		}
		c.URL = strings.TrimRight(c.URL, "/")
	}
	if c.Theme != "" && !slices.Contains(theme.Names(), c.Theme) {
		return bad("theme", fmt.Errorf("unknown theme %q (known: %s)", c.Theme, strings.Join(theme.Names(), ", ")))
	}
	if c.RefreshInterval <= 0 {
		return bad("refresh_interval", fmt.Errorf("must be positive, not %s", c.RefreshInterval))
	}
	if c.RowLimit <= 0 {
		return bad("row_limit", fmt.Errorf("must be positive, not %d", c.RowLimit))
	}
	if c.Timeout < 0 {
		return bad("timeout", fmt.Errorf("must not be negative, not %s", c.Timeout))
	}
	for name, keys := range c.Keys {
		if len(keys) == 0 {
			return bad("keys", fmt.Errorf("binding %q has no keys", name))
		}
	}
	return nil
}

// checkURL accepts http(s)://host[:port][/prefix].
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("invalid URL %q: want http://host:port or https://host", raw)
	}
	if u.Host == "" {
		return errors.New("invalid URL " + fmt.Sprintf("%q", raw) + ": no host")
	}
	return nil
}
