// Package ui is DB-Forge's root Bubble Tea model: it lays out the panes,
// moves focus, routes keys to the focused pane and data to its owner, and is
// the only place that turns a user's intent into a client call.
package ui

import (
	"net/url"
	"time"

	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// Common is what every part of the root shares, injected once instead of
// living in globals: the screen size, the theme (a pointer, so a theme
// chosen after the terminal reports its background reaches every pane), the
// key map and the read-only flag.
type Common struct {
	Width, Height int
	Theme         *theme.Theme
	Keys          *keymap.KeyMap
	ReadOnly      bool
}

// Options configure New. Zero values take the documented defaults.
type Options struct {
	Mode       string         // "embedded" or the gateway URL (sanitized before display)
	Theme      string         // configured theme; "" follows the terminal background
	NoColor    bool           // NO_COLOR
	Keys       *keymap.KeyMap // nil → keymap.Default()
	ReadOnly   bool
	Refresh    time.Duration    // health poll interval; default 2s
	Timeout    time.Duration    // per request; default 10s
	Database   string           // database to open first; default the first listed
	SeedDemo   bool             // embedded first run: create "demo" when there are no databases
	Now        func() time.Time // clock for relative times; default time.Now
	MaxBackoff time.Duration    // cap of the retry delay when the gateway is down; default 30s
	HistoryDir string           // where per-database query history is kept; "" keeps it for the session only
}

func (o *Options) defaults() {
	if o.Refresh <= 0 {
		o.Refresh = 2 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Keys == nil {
		k := keymap.Default()
		o.Keys = &k
	}
	if o.Mode == "" {
		o.Mode = "embedded"
	}
}

// DisplayMode returns the mode for the status bar: "embedded", or the URL
// without credentials, query or control characters.
func DisplayMode(mode string) string {
	if mode == "embedded" {
		return mode
	}
	u, err := url.Parse(mode)
	if err != nil || u.Host == "" {
		return sanitize.Line(mode)
	}
	u.User = nil
	u.RawQuery, u.Fragment = "", ""
	return sanitize.Line(u.String())
}
