package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/health"
)

// pollState drives the health refresh: one tick or request at a time, with
// exponential backoff while the gateway is unreachable. While the health
// pane is off screen the poll is light (reachability and key only, for the
// status bar); the database's figures are asked for only while it shows.
type pollState struct {
	armed    bool          // a tick or a request is pending
	light    bool          // the pending poll skips the database's figures
	seq      int           // bumped to orphan pending ticks and answers
	failures int           // consecutive failed polls
	delay    time.Duration // wait before the next poll
	noAudit  string        // database whose audit log cannot be read (403, MK1): not asked again
}

// pollTickMsg fires when it is time to poll again.
type pollTickMsg struct{ seq int }

// pollMsg is the answer of one poll.
type pollMsg struct {
	seq      int
	id       int
	db       string
	health   *client.Health
	healthOK bool
	gw       *client.GatewayStats
	gwErr    error
	stats    *client.DatabaseStats
	statsErr error
	rtt      time.Duration

	activity bool // the audit log was asked for instead of the stats
	light    bool // only reachability was asked for (health pane off screen)
	audit    *client.AuditLog
	auditErr error
}

// ensurePolling starts polling when nothing is pending, and polls at once
// when the health pane came on screen while only a light poll was pending.
func (m *Model) ensurePolling() tea.Cmd {
	if m.poll.armed && m.poll.light && m.visible(paneHealth) {
		return m.restartPolling()
	}
	if m.poll.armed {
		return nil
	}
	m.poll.armed = true
	return m.pollNow()
}

// restartPolling drops what is pending (e.g. the database changed) and polls
// at once if the pane is visible.
func (m *Model) restartPolling() tea.Cmd {
	m.poll.seq++
	m.poll.armed = false
	return m.ensurePolling()
}

func (m *Model) pollNow() tea.Cmd {
	id, ctx := m.request(reqPoll, m.opts.Timeout)
	seq, db, api := m.poll.seq, m.current, m.api
	full := m.visible(paneHealth)
	m.poll.light = !full
	activity := m.health.model().ShowingActivity()
	audit := full && activity && db != "" && m.poll.noAudit != db
	return func() tea.Msg {
		msg := runPoll(ctx, api, seq, id, db, activity, full)
		if audit && (msg.healthOK || msg.gwErr == nil) {
			msg.audit, msg.auditErr = fetchActivity(ctx, api, db)
		}
		return msg
	}
}

// runPoll asks the gateway and the database for their figures. The three
// calls are independent, so one failing does not hide the others. While
// the pane shows activity, or is off screen (full is false), the database's
// stats are not asked for.
func runPoll(ctx context.Context, api API, seq, id int, db string, activity, full bool) pollMsg {
	msg := pollMsg{seq: seq, id: id, db: db, activity: activity, light: !full}
	start := time.Now()
	h, herr := safeCall(func() (*client.Health, error) { return api.Health(ctx) })
	msg.rtt = time.Since(start)
	msg.health, msg.healthOK = h, herr == nil && h != nil
	msg.gw, msg.gwErr = safeCall(func() (*client.GatewayStats, error) { return api.GatewayStats(ctx) })
	if msg.gwErr != nil && herr != nil {
		msg.gwErr = herr // both failed: the first error says most
	}
	if db != "" && full && !activity && (msg.healthOK || msg.gwErr == nil) {
		msg.stats, msg.statsErr = safeCall(func() (*client.DatabaseStats, error) { return api.DatabaseStats(ctx, db) })
	}
	return msg
}

// onPoll shows a poll's answer and schedules the next one.
func (m *Model) onPoll(msg pollMsg) tea.Cmd {
	if msg.seq != m.poll.seq || !m.fresh(reqPoll, msg.id) {
		return nil
	}
	hp := m.health.model()
	reachable := msg.healthOK || msg.gwErr == nil
	m.setConnection(reachable, msg.gwErr)
	if !reachable {
		m.poll.failures++
		m.poll.delay = backoff(m.opts.Refresh, m.opts.MaxBackoff, m.poll.failures)
		hp.SetDisconnected(msg.gwErr, m.poll.delay)
	} else {
		m.poll.failures = 0
		m.poll.delay = m.opts.Refresh
		g := health.Gateway{RTT: msg.rtt, Stats: msg.gw}
		if msg.healthOK {
			g.Health = msg.health
		}
		hp.SetGateway(g)
		hp.SetNow(m.opts.Now())
		switch {
		case msg.db == "", msg.light:
		case msg.activity:
			m.showActivity(msg)
		case isUnsupported(msg.statsErr):
			hp.SetUnavailable("per-database stats are not offered by this gateway (MK1)")
		default:
			hp.SetStats(msg.stats, msg.statsErr)
		}
	}
	seq := m.poll.seq
	return tea.Tick(m.poll.delay, func(time.Time) tea.Msg { return pollTickMsg{seq: seq} })
}

// showActivity shows the audit answer of a poll; an answer that says the
// log cannot be read stops the asking until the database changes.
func (m *Model) showActivity(msg pollMsg) {
	hp := m.health.model()
	if msg.db == m.poll.noAudit {
		return // already said, not asked
	}
	if why := activityUnavailable(msg.auditErr); why != "" {
		m.poll.noAudit = msg.db
		hp.SetActivityUnavailable(why)
		return
	}
	hp.SetActivity(msg.audit, msg.auditErr)
}

// onPollTick polls again (a light poll while the health pane is off screen).
func (m *Model) onPollTick(msg pollTickMsg) tea.Cmd {
	if msg.seq != m.poll.seq {
		return nil
	}
	m.now = m.opts.Now()
	m.dbs.model().SetNow(m.now)
	return m.pollNow()
}

// backoff doubles the interval per consecutive failure, up to limit.
func backoff(base, limit time.Duration, failures int) time.Duration {
	d := base
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
