//go:build !unix

package engine

// fileLimit cannot tell on this system.
func fileLimit() int { return 0 }
