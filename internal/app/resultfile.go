package app

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/resultfile"
)

// WriteResultFile writes a result, read page by page, to the file a person
// typed, in the format its extension names (.csv or .json), through
// WriteFile. It returns the number of rows written.
func WriteResultFile(path string, replace Replace, cols []client.Column, pages resultfile.Pages) (int, error) {
	if strings.TrimSpace(path) == "" {
		return 0, errors.New("no file name given")
	}
	format, err := ResultFormatFromPath(path)
	if err != nil {
		return 0, err
	}
	if path, err = ExpandPath(path); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	rows := 0
	_, err = WriteFile(path, replace, func(w io.Writer) (int64, error) {
		var err error
		if format == CSV {
			rows, err = resultfile.WriteCSV(w, cols, pages)
		} else {
			rows, err = resultfile.WriteJSON(w, cols, pages)
		}
		return int64(rows), err
	})
	if err != nil {
		return rows, fmt.Errorf("export: %w", err)
	}
	return rows, nil
}
