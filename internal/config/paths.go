package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// DefaultFile returns where the config file is looked for when neither
// --config nor DBFORGE_CONFIG names one: $XDG_CONFIG_HOME/dbforge/config.toml,
// else ~/.config/dbforge/config.toml.
func DefaultFile(lookup LookupFunc) (string, error) {
	if x, ok := lookup("XDG_CONFIG_HOME"); ok && x != "" {
		return filepath.Join(x, "dbforge", "config.toml"), nil
	}
	home, err := home(lookup)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".config", "dbforge", "config.toml"), nil
}

// DefaultDataDir returns the data directory used when none is configured:
// $XDG_DATA_HOME/dbforge, else ~/.local/share/dbforge.
func DefaultDataDir(lookup LookupFunc) (string, error) {
	// The XDG spec says a relative path is invalid and must be ignored.
	if x, ok := lookup("XDG_DATA_HOME"); ok && filepath.IsAbs(x) {
		return filepath.Join(x, "dbforge"), nil
	}
	home, err := home(lookup)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "dbforge"), nil
}

// home prefers $HOME as seen through lookup, so tests and callers that
// inject an environment get consistent answers.
func home(lookup LookupFunc) (string, error) {
	if h, ok := lookup("HOME"); ok && h != "" {
		return h, nil
	}
	h, err := os.UserHomeDir()
	if err != nil || h == "" {
		return "", errors.New("cannot find the home directory: set HOME, or XDG_CONFIG_HOME and XDG_DATA_HOME")
	}
	return h, nil
}

// expandHome turns a leading "~/" into the home directory; config files
// are written by hand and "~/data" is what people type.
func expandHome(p string, lookup LookupFunc) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	h, err := home(lookup)
	if err != nil {
		return "", err
	}
	return filepath.Join(h, strings.TrimPrefix(p[1:], "/")), nil
}
