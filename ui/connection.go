package ui

import (
	"fmt"

	"github.com/dbforge/dbforge/client"
)

// connState is what the status bar says about the gateway.
type connState int

const (
	connUnknown connState = iota // no answer yet
	connUp
	connDown
	connBadKey
)

// setConnection records a poll's verdict: reachable or not, and whether
// the gateway refused the key (401).
func (m *Model) setConnection(reachable bool, err error) {
	switch {
	case isWrongKey(err):
		m.conn = connBadKey
	case reachable:
		m.conn = connUp
	default:
		m.conn = connDown
	}
}

// isWrongKey reports whether err is the gateway refusing the API key.
func isWrongKey(err error) bool { return err != nil && client.IsUnauthorized(err) }

// connectionLabel is the status bar's connection state, and whether it is
// bad news.
func (m *Model) connectionLabel() (string, bool) {
	switch m.conn {
	case connUp:
		return "● connected", false
	case connDown:
		return fmt.Sprintf("✖ disconnected — retrying in %s", m.poll.delay), true
	case connBadKey:
		return "✖ wrong key: check --api-key or DBFORGE_API_KEY", true
	}
	return "○ connecting…", false
}
