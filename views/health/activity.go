package health

import (
	"time"

	"github.com/dbforge/dbforge/client"
)

// activity is the recent-activity view: the newest audit entries of the
// current database, as the root last fetched them.
type activity struct {
	shown       bool
	log         *client.AuditLog
	err         error  // the last fetch failed (the last list stays)
	unavailable string // why there is no audit log to read (MK1, no admin rights)
	scroll      int
}

// ShowingActivity reports whether the pane shows recent activity instead
// of the health read-out; the root fetches the audit log only then.
func (m Model) ShowingActivity() bool { return m.act.shown }

// SetActivity sets the answer of an audit fetch: the log, or why the fetch
// failed (the last list stays on screen).
func (m *Model) SetActivity(log *client.AuditLog, err error) {
	if log != nil {
		m.act.log = log
	}
	m.act.err, m.act.unavailable = err, ""
}

// SetActivityUnavailable says the audit log cannot be read from this
// gateway with this key, and why; the root stops asking until the database
// changes.
func (m *Model) SetActivityUnavailable(reason string) {
	m.act.log, m.act.err, m.act.unavailable = nil, nil, reason
}

// SetNow sets the clock the activity's relative times are measured from.
func (m *Model) SetNow(now time.Time) { m.now = now }

// hiddenRoute is the health pane's own polling: left out of the list, where
// it would bury everything else.
const hiddenRoute = "GET /admin/databases/{db}/stats"

// entries are the audit entries shown, newest first.
func (a activity) entries() []client.AuditEntry {
	if a.log == nil {
		return nil
	}
	out := make([]client.AuditEntry, 0, len(a.log.Entries))
	for _, e := range a.log.Entries {
		if e.Route != hiddenRoute {
			out = append(out, e)
		}
	}
	return out
}
