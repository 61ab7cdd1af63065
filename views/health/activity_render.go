package health

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
	"github.com/dustin/go-humanize"
)

// Widths of the activity list's fixed columns.
const (
	ageW, kindW, rowsW, statusW, durW = 3, 5, 4, 3, 5
	minRouteW                         = 8
)

// activityCols is how wide the key and route columns are at width w; the
// key column goes first when the pane is narrow.
func activityCols(w int) (keyW, routeW int) {
	fixed := ageW + kindW + rowsW + statusW + durW + 5 // a space after each
	switch {
	case w >= 70:
		keyW = 14
	case w >= fixed+minRouteW+9:
		keyW = 8
	}
	if keyW > 0 {
		fixed += keyW + 1
	}
	return keyW, max(w-fixed, 0)
}

// activityLines is the activity view: a summary line, the column header and
// one line per entry (from the scroll offset on), before fitting.
func (m Model) activityLines() []string {
	th := m.th
	var l []string
	if m.disconnected {
		l = append(l, th.Bad.Render(m.disconnectedText()))
	}
	switch {
	case m.db == "":
		return append(l, th.Muted.Render("no database selected"))
	case m.act.unavailable != "":
		wrapped := lipgloss.NewStyle().Width(max(m.width, 1)).Render(
			"The activity log is unavailable: " + sanitize.Line(m.act.unavailable))
		for _, line := range strings.Split(wrapped, "\n") {
			l = append(l, th.Muted.Render(line))
		}
		return l
	case m.act.log == nil && m.act.err != nil:
		return append(l, th.Bad.Render("✖ "+sanitize.Line(m.act.err.Error())))
	case m.act.log == nil:
		return append(l, th.Muted.Render("loading activity…"))
	}
	entries := m.act.entries()
	if len(entries) == 0 {
		l = append(l, th.Muted.Render("no activity yet on "+sanitize.Line(m.db)))
	} else {
		noun := "events"
		if len(entries) == 1 {
			noun = "event"
		}
		sum := th.Text.Render(fmt.Sprintf("%d recent %s", len(entries), noun)) + th.Muted.Render(" · newest first")
		if d := m.act.log.Dropped; d > 0 {
			sum += th.Warn.Render(" · " + humanize.Comma(d) + " dropped")
		}
		l = append(l, sum)
	}
	if m.act.err != nil {
		l = append(l, th.Bad.Render("✖ "+sanitize.Line(m.act.err.Error())))
	}
	if len(entries) == 0 {
		return l
	}
	keyW, routeW := activityCols(m.width)
	l = append(l, th.Label().Render(activityRow("age", "key", "route", "kind", "rows", "st", "took", keyW, routeW)))
	for _, e := range entries[min(m.act.scroll, len(entries)):] {
		l = append(l, m.entryLine(e, keyW, routeW))
	}
	return l
}

// activityHead is how many lines come before the entries.
func (m Model) activityHead() int {
	n := 2
	if m.disconnected {
		n++
	}
	if m.act.err != nil {
		n++
	}
	return n
}

// entryLine draws one audit entry: age, key, route, statement kind, rows,
// status (coloured by class) and duration.
func (m Model) entryLine(e client.AuditEntry, keyW, routeW int) string {
	th := m.th
	key := sanitize.Line(e.KeyName)
	if key == "" {
		key = sanitize.Line(e.KeyID)
	}
	keyStyle := th.Text
	if key == "" {
		key, keyStyle = "open", th.Muted
	}
	kind := sanitize.Line(e.Kind)
	if kind == "" {
		kind = "-"
	}
	status := th.Good
	switch {
	case e.Status >= 500 || e.Status == 0:
		status = th.Bad
	case e.Status >= 400:
		status = th.Warn
	}
	var b strings.Builder
	b.WriteString(th.Muted.Render(textfit.Align(age(m.now.Sub(e.Time)), ageW, true)) + " ")
	if keyW > 0 {
		b.WriteString(keyStyle.Render(textfit.Align(key, keyW, false)) + " ")
	}
	b.WriteString(th.Text.Render(textfit.Align(shortRoute(sanitize.Line(e.Route)), routeW, false)) + " ")
	b.WriteString(th.Muted.Render(textfit.Align(kind, kindW, false)) + " ")
	b.WriteString(th.Text.Render(textfit.Align(compact(e.Rows), rowsW, true)) + " ")
	b.WriteString(status.Render(textfit.Align(fmt.Sprint(e.Status), statusW, true)) + " ")
	b.WriteString(th.Muted.Render(textfit.Align(shortMs(e.DurationMs), durW, true)))
	return b.String()
}

func activityRow(ageS, key, route, kind, rows, st, dur string, keyW, routeW int) string {
	s := textfit.Align(ageS, ageW, true) + " "
	if keyW > 0 {
		s += textfit.Align(key, keyW, false) + " "
	}
	return s + textfit.Align(route, routeW, false) + " " + textfit.Align(kind, kindW, false) + " " +
		textfit.Align(rows, rowsW, true) + " " + textfit.Align(st, statusW, true) + " " + textfit.Align(dur, durW, true)
}

// shortRoute drops what the pane already says (the current database) from
// a route pattern: "POST /api/db/{db}/query" is "POST /query".
func shortRoute(r string) string {
	method, path, ok := strings.Cut(r, " ")
	if !ok {
		return r
	}
	switch {
	case strings.HasPrefix(path, "/api/db/{db}/"):
		path = path[len("/api/db/{db}"):]
	case strings.HasPrefix(path, "/admin/databases/{db}"):
		path = "/admin/db" + path[len("/admin/databases/{db}"):]
	}
	return method + " " + path
}

// age is a short relative time: "now", "42s", "5m", "3h", "2d".
func age(d time.Duration) string {
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// compact prints a count in at most four cells: 999, 1.2k, 12k, 3.4M.
func compact(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprint(n)
	case n < 9950:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	case n < 1_000_000:
		return fmt.Sprintf("%dk", n/1000)
	case n < 9_950_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n < 1_000_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dG", n/1_000_000_000)
}

// shortMs prints a duration in at most five cells: 0.4ms, 12ms, 1.5s, 42s.
func shortMs(v float64) string {
	switch {
	case v < 9.95:
		return fmt.Sprintf("%.1fms", max(v, 0))
	case v < 999.5:
		return fmt.Sprintf("%.0fms", v)
	case v < 10_000:
		return fmt.Sprintf("%.1fs", v/1000)
	}
	return fmt.Sprintf("%.0fs", v/1000)
}
