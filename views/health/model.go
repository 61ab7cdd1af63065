// Package health is the pane showing the current database's health (status,
// sizes, counters, latency percentiles, QPS and p95 plots) and the gateway's
// (reachability, round-trip time, uptime, requests, errors).
package health

import (
	"time"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// Gateway is what the root learned about the gateway in one poll.
type Gateway struct {
	Health *client.Health       // nil when /health is unavailable (MK1)
	Stats  *client.GatewayStats // nil when the call failed
	RTT    time.Duration        // round-trip time of the poll's first call
}

// Model is the health pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Health

	localOnly bool // counters are this process's own (embedded mode)

	db          string
	stats       *client.DatabaseStats
	statsErr    error
	unavailable string       // why per-database stats cannot be shown (e.g. MK1)
	txn         transactions // transactions/s of a PostgreSQL database
	gw          Gateway
	polled      bool

	disconnected bool
	lastErr      error
	retryIn      time.Duration

	act activity  // the recent-activity view (a toggles it)
	now time.Time // what the activity's ages are measured from

	scroll        int
	width, height int
	focused       bool
}

// New returns an empty health pane.
func New(th *theme.Theme, keys keymap.Health) Model {
	return Model{th: th, keys: keys}
}

// SetDatabase sets the database whose health is shown; stats and activity
// of another one are dropped.
func (m *Model) SetDatabase(name string) {
	if name != m.db {
		m.stats, m.statsErr, m.unavailable = nil, nil, ""
		m.txn = transactions{}
		m.act = activity{shown: m.act.shown}
	}
	m.db = name
}

// SetLocalOnly marks the counters as this process's own (embedded mode:
// another process on the same data directory keeps counters of its own).
func (m *Model) SetLocalOnly(local bool) { m.localOnly = local }

// Database is the database whose health is shown.
func (m Model) Database() string { return m.db }

// SetStats sets the per-database answer of a poll: stats or why they failed.
// A PostgreSQL database's transaction counter is sampled at the answer's
// sampled_at (the pane's clock when the gateway sends none).
func (m *Model) SetStats(s *client.DatabaseStats, err error) {
	if s != nil {
		m.stats = s
	}
	if isPostgres(s) {
		at := s.SampledAt
		if at.IsZero() {
			at = m.now
		}
		m.txn.add(s.TransactionsTotal, at)
	}
	m.statsErr = err
	m.unavailable = ""
}

// SetUnavailable says per-database stats cannot be had from this server
// (e.g. an MK1 gateway) and why.
func (m *Model) SetUnavailable(reason string) {
	m.stats, m.statsErr, m.unavailable = nil, nil, reason
}

// SetGateway records a successful poll of the gateway and clears the
// disconnected state.
func (m *Model) SetGateway(g Gateway) {
	m.gw = g
	m.polled = true
	m.disconnected, m.lastErr, m.retryIn = false, nil, 0
}

// SetDisconnected records a failed poll: the gateway could not be reached and
// the next try is in retryIn. The last good figures stay, dimmed.
func (m *Model) SetDisconnected(err error, retryIn time.Duration) {
	m.polled = true
	m.disconnected, m.lastErr, m.retryIn = true, err, retryIn
}

// Disconnected reports whether the last poll failed.
func (m Model) Disconnected() bool { return m.disconnected }

// SetSize sets the inner size of the pane.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is always false: the pane has no text fields.
func (m Model) InTextInput() bool { return false }

// Keys returns the pane's bindings for the help views.
func (m Model) Keys() keymap.Health { return m.keys }

// RefreshStyles is part of the pane contract; this pane caches no style (it
// draws from the theme on every View).
func (m *Model) RefreshStyles() {}
