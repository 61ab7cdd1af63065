package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// ExpandPath is the file a person typed: surrounding blanks dropped, a
// leading ~ or ~/ the home directory, made absolute.
func ExpandPath(path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", errors.New("no file name given")
	}
	if path == "~" || strings.HasPrefix(path, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		path = filepath.Join(home, strings.TrimPrefix(path[1:], "/"))
	}
	return filepath.Abs(path)
}
