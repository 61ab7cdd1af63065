package resultfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dbforge/dbforge/client"
)

// WriteFile writes a result to path in the format its extension names. A
// leading ~/ is the home directory. The file is written next to its final
// name and renamed into place, so a failed export never leaves half a file
// where a good one was. It returns the number of rows written.
func WriteFile(path string, cols []client.Column, pages Pages) (int, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return 0, errors.New("no file name given")
	}
	format, err := FormatFor(path)
	if err != nil {
		return 0, err
	}
	if path, err = expandHome(path); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	// CreateTemp makes the file private; an export is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("export: %w", err)
	}
	var n int
	if format == CSV {
		n, err = WriteCSV(tmp, cols, pages)
	} else {
		n, err = WriteJSON(tmp, cols, pages)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	return filepath.Join(home, strings.TrimPrefix(path, "~")), nil
}
