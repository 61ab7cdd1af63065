package ui

import (
	"errors"

	"github.com/dbforge/dbforge/client"
)

// isUnsupported reports whether err says the server lacks a feature (an MK1
// gateway without the extension routes) rather than that a call failed.
func isUnsupported(err error) bool {
	return err != nil && (errors.Is(err, client.ErrUnsupported) || errors.Is(err, errors.ErrUnsupported))
}
