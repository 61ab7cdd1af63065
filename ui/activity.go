package ui

import (
	"context"
	"errors"
	"net/http"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// activityLimit is how many audit entries one poll asks for: enough for a
// screenful after the pane drops other monitors' stats polls.
const activityLimit = 300

// fetchActivity reads the newest audit entries of db.
func fetchActivity(ctx context.Context, api API, db string) (*client.AuditLog, error) {
	return safeCall(func() (*client.AuditLog, error) {
		return api.Audit(ctx, client.AuditQuery{Database: db, Limit: activityLimit})
	})
}

// activityUnavailable says why err means the audit log cannot be read at
// all (an MK1 gateway, a key without admin rights), or "" for an error that
// may pass.
func activityUnavailable(err error) string {
	var ae *client.APIError
	switch {
	case err == nil:
		return ""
	case isUnsupported(err):
		return "this gateway keeps no audit log (MK1)"
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return "this API key has no admin rights (403)"
	}
	return ""
}

// onActivityShown polls at once when the health pane switched views, so
// the newly shown one fills without waiting for the next tick.
func (m *Model) onActivityShown(action.ActivityShown) tea.Cmd {
	return m.restartPolling()
}
