// Package config resolves DB-Forge's settings from, in order of precedence,
// command-line flags, environment variables, a TOML file and defaults, and
// remembers where each value came from so `dbforge config` can say so.
package config

import (
	"fmt"
	"os"
	"time"
)

// Defaults of values nobody set.
const (
	DefaultRefreshInterval = 2 * time.Second
	DefaultRowLimit        = 1000
	DefaultTimeout         = 60 * time.Second
)

// Environment variables read by Resolve.
const (
	EnvURL    = "DBFORGE_URL"
	EnvAPIKey = "DBFORGE_API_KEY"
	EnvData   = "DBFORGE_DATA"
	EnvTheme  = "DBFORGE_THEME"
	EnvConfig = "DBFORGE_CONFIG"
	EnvNoCol  = "NO_COLOR"

	EnvCORSOrigins = "DBFORGE_CORS_ORIGINS" // serve --cors-origins
)

// Source says which layer a resolved value came from.
type Source string

// The layers, strongest first.
const (
	FromFlag    Source = "flag"
	FromEnv     Source = "env"
	FromFile    Source = "file"
	FromDefault Source = "default"
)

// Origin is where one value was set: its layer and the flag, variable or
// file line that set it.
type Origin struct {
	Source Source
	Name   string // "--url", "DBFORGE_URL", "/home/u/.config/dbforge/config.toml:3"; empty for defaults
}

func (o Origin) String() string {
	if o.Name == "" {
		return string(o.Source)
	}
	return string(o.Source) + " " + o.Name
}

// LookupFunc reads an environment variable; os.LookupEnv by default.
type LookupFunc func(string) (string, bool)

// Flags holds the global flags the user actually gave; nil means not given,
// so a flag set to its zero value still beats the environment.
type Flags struct {
	URL, APIKey, DataDir, ConfigFile, Theme *string
	ReadOnly, NoColor                       *bool
	Timeout                                 *time.Duration
}

// Config is the resolved configuration.
type Config struct {
	URL             string        // gateway base URL; empty means embedded mode
	APIKey          string        // key sent to the gateway
	DataDir         string        // data directory of embedded mode
	Theme           string        // theme name; empty follows the terminal
	RefreshInterval time.Duration // how often the TUI refreshes health
	RowLimit        int           // rows fetched per query page
	ReadOnly        bool          // refuse writes in the TUI and CLI
	NoColor         bool          // no colour in any output
	Timeout         time.Duration // bound on each gateway call; 0 = none
	Keys            map[string][]string
	Serve           ServeFile // [serve]: gateway address and limits for `dbforge serve`

	File      string // config file path, whether or not it exists
	FileFound bool   // the file existed and was read

	origins map[string]Origin
}

// Embedded reports whether no gateway URL is configured, so DB-Forge runs
// its gateway in-process over DataDir.
func (c *Config) Embedded() bool { return c.URL == "" }

// Origin returns where the value of a key (as named in the file: "url",
// "api_key", "data_dir", …) came from.
func (c *Config) Origin(key string) Origin {
	if o, ok := c.origins[key]; ok {
		return o
	}
	return Origin{Source: FromDefault}
}

// Error is a configuration value that cannot be used. Origin tells whether
// the user typed it as a flag (a usage error) or it came from elsewhere.
type Error struct {
	Key    string
	Origin Origin
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (from %s): %v", e.Key, e.Origin, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Resolve builds the configuration from flags, the environment (through
// lookup; os.LookupEnv when nil), the config file and defaults.
func Resolve(f Flags, lookup LookupFunc) (*Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	c := &Config{
		RefreshInterval: DefaultRefreshInterval,
		RowLimit:        DefaultRowLimit,
		Timeout:         DefaultTimeout,
		origins:         map[string]Origin{},
	}
	if err := c.loadFile(f, lookup); err != nil {
		return nil, err
	}
	c.applyEnv(lookup)
	c.applyFlags(f)
	if c.DataDir == "" {
		dir, err := DefaultDataDir(lookup)
		if err != nil {
			return nil, err
		}
		c.DataDir = dir
	} else {
		dir, err := expandHome(c.DataDir, lookup)
		if err != nil {
			return nil, err
		}
		c.DataDir = dir
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// set records a value's origin.
func (c *Config) set(key string, o Origin) { c.origins[key] = o }

func (c *Config) applyEnv(lookup LookupFunc) {
	str := func(key, env string, dst *string) {
		if v, ok := lookup(env); ok && v != "" {
			*dst = v
			c.set(key, Origin{FromEnv, env})
		}
	}
	str("url", EnvURL, &c.URL)
	str("api_key", EnvAPIKey, &c.APIKey)
	str("data_dir", EnvData, &c.DataDir)
	str("theme", EnvTheme, &c.Theme)
	// NO_COLOR: any non-empty value disables colour (no-color.org).
	if v, ok := lookup(EnvNoCol); ok && v != "" {
		c.NoColor = true
		c.set("no_color", Origin{FromEnv, EnvNoCol})
	}
}

func (c *Config) applyFlags(f Flags) {
	str := func(key, flag string, src *string, dst *string) {
		if src != nil {
			*dst = *src
			c.set(key, Origin{FromFlag, flag})
		}
	}
	str("url", "--url", f.URL, &c.URL)
	str("api_key", "--api-key", f.APIKey, &c.APIKey)
	str("data_dir", "--data", f.DataDir, &c.DataDir)
	str("theme", "--theme", f.Theme, &c.Theme)
	if f.ReadOnly != nil {
		c.ReadOnly = *f.ReadOnly
		c.set("read_only", Origin{FromFlag, "--read-only"})
	}
	if f.NoColor != nil {
		c.NoColor = *f.NoColor
		c.set("no_color", Origin{FromFlag, "--no-color"})
	}
	if f.Timeout != nil {
		c.Timeout = *f.Timeout
		c.set("timeout", Origin{FromFlag, "--timeout"})
	}
}
