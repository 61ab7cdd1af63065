package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/config"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/templates"
)

// Names of the global flags, shared by every command.
const (
	flagURL      = "url"
	flagAPIKey   = "api-key"
	flagData     = "data"
	flagConfig   = "config"
	flagTheme    = "theme"
	flagReadOnly = "read-only"
	flagNoColor  = "no-color"
	flagTimeout  = "timeout"
)

// addGlobalFlags declares the persistent flags that choose and tune the
// connection; config.Resolve weighs them against env and the config file.
func addGlobalFlags(root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.String(flagURL, "", "gateway URL, e.g. http://127.0.0.1:8080 (default $DBFORGE_URL; none = embedded mode)")
	pf.String(flagAPIKey, "", "gateway API key (default $DBFORGE_API_KEY)")
	pf.String(flagData, "", "data directory of embedded mode (default $DBFORGE_DATA, else $XDG_DATA_HOME/dbforge)")
	pf.String(flagConfig, "", "config file (default $DBFORGE_CONFIG, else $XDG_CONFIG_HOME/dbforge/config.toml)")
	pf.String(flagTheme, "", "colour theme: dark, light or high-contrast (default $DBFORGE_THEME, else follows the terminal)")
	pf.Bool(flagReadOnly, false, "refuse changes: no spawn, fork, prune, delete, import, restore or key creation and revocation, and SQL runs on a connection that cannot write")
	pf.Bool(flagNoColor, false, "no colour (also $NO_COLOR)")
	pf.Duration(flagTimeout, config.DefaultTimeout, "bound on each call to the gateway (0 = none)")
}

// resolveConfig resolves the configuration from the flags the user gave
// to cmd (or its parents), the environment and the config file.
func resolveConfig(cmd *cobra.Command) (*config.Config, error) {
	fl := cmd.Flags()
	var f config.Flags
	str := func(name string) *string {
		if !fl.Changed(name) {
			return nil
		}
		v, _ := fl.GetString(name)
		return &v
	}
	boolean := func(name string) *bool {
		if !fl.Changed(name) {
			return nil
		}
		v, _ := fl.GetBool(name)
		return &v
	}
	f.URL, f.APIKey, f.DataDir = str(flagURL), str(flagAPIKey), str(flagData)
	f.ConfigFile, f.Theme = str(flagConfig), str(flagTheme)
	f.ReadOnly, f.NoColor = boolean(flagReadOnly), boolean(flagNoColor)
	if fl.Changed(flagTimeout) {
		d, _ := fl.GetDuration(flagTimeout)
		f.Timeout = &d
	}
	return config.Resolve(f, nil)
}

// Session is a ready connection: the resolved configuration and a client
// that talks either to a remote gateway or to one running in-process.
// Callers must Close it.
type Session struct {
	Config *config.Config
	Client *client.Client

	backend *embedded.Backend // nil in remote mode
}

// connect resolves the configuration for cmd and opens the connection it
// names: the gateway at Config.URL with Config.APIKey, or, with no URL, an
// embedded gateway over Config.DataDir (created if missing). The client
// is the same type in both modes, so callers never branch on the mode.
// Remote mode opens no connection here: an unreachable gateway shows up
// on the first call.
func connect(cmd *cobra.Command) (*Session, error) {
	cfg, err := resolveConfig(cmd)
	if err != nil {
		return nil, err
	}
	ver := version() // parses the build info: once
	opts := []client.Option{
		client.WithTimeout(cfg.Timeout),
		client.WithUserAgent("dbforge/" + ver),
	}
	if !cfg.Embedded() {
		if cfg.APIKey != "" {
			opts = append(opts, client.WithAPIKey(cfg.APIKey))
		}
		return &Session{Config: cfg, Client: client.New(cfg.URL, opts...)}, nil
	}
	// a command uses one database or a few: the engine opens those only
	backend, err := embedded.Open(cfg.DataDir, embedded.Options{Version: ver, Templates: templates.New(templatesDir(cfg)),
		Postgres: embeddedPostgres(cfg, os.LookupEnv)})
	if err != nil {
		return nil, fmt.Errorf("opening data directory %s: %w", cfg.DataDir, err)
	}
	opts = append(opts, backend.ClientOptions()...)
	return &Session{Config: cfg, Client: client.New(embedded.BaseURL, opts...), backend: backend}, nil
}

// embeddedPostgres is the PostgreSQL admin DSN embedded mode uses, as
// serve reads it: $DBFORGE_POSTGRES when set and not empty, else [serve]
// postgres of the config file; "" for none.
func embeddedPostgres(cfg *config.Config, lookup func(string) (string, bool)) string {
	if v, ok := lookup(envPostgres); ok && v != "" {
		return v
	}
	if cfg.Serve.Postgres != nil {
		return *cfg.Serve.Postgres
	}
	return ""
}

// Embedded reports whether the session runs the gateway in-process.
func (s *Session) Embedded() bool { return s.backend != nil }

// Mode describes the connection for people: "embedded (<data dir>)" or
// the gateway URL.
func (s *Session) Mode() string {
	if s.Embedded() {
		return "embedded (" + s.Config.DataDir + ")"
	}
	return s.Config.URL
}

// Close releases the session: in embedded mode it closes the engine,
// checkpointing every database. Safe to call more than once.
func (s *Session) Close() error {
	if s == nil || s.backend == nil {
		return nil
	}
	return s.backend.Close()
}

// withSession runs fn on a fresh session and closes it afterwards; the
// command's own error wins over a close failure.
func withSession(cmd *cobra.Command, fn func(*Session) error) error {
	s, err := connect(cmd)
	if err != nil {
		return err
	}
	if err := fn(s); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}
