package health

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dbforge/dbforge/views/textfit"
	"github.com/dustin/go-humanize"
)

// Title names the view and the database the figures are for.
func (m Model) Title() string {
	name := "Health"
	if m.act.shown {
		name = "Activity"
	}
	if m.db == "" {
		return name
	}
	return name + " · " + sanitize.Line(m.db)
}

// View draws exactly height lines of width cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	var lines []string
	if m.act.shown {
		lines = m.activityLines()
	} else {
		lines = m.healthLines()
		if s := min(m.scroll, max(len(lines)-m.height, 0)); s > 0 {
			lines = lines[s:]
		}
	}
	out := make([]string, m.height)
	for i := range out {
		if i < len(lines) {
			out[i] = textfit.Ellipsis(lines[i], m.width)
		} else {
			out[i] = strings.Repeat(" ", m.width)
		}
	}
	return strings.Join(out, "\n")
}

// healthLines is the health read-out followed by the plots that fit.
func (m Model) healthLines() []string {
	lines := m.readout()
	return append(lines, m.graphs(m.height-len(lines))...)
}

// maxScroll is how far the shown view can scroll.
func (m Model) maxScroll() int {
	if m.act.shown {
		return max(len(m.act.entries())-(m.height-m.activityHead()), 0)
	}
	return max(len(m.healthLines())-m.height, 0)
}

func (m Model) disconnectedText() string {
	msg := "✖ disconnected"
	if m.retryIn > 0 {
		return msg + fmt.Sprintf(" — retrying in %s", roundDur(m.retryIn))
	}
	return msg + " — retrying…"
}

// readout is the text part: connection state, gateway, database figures.
func (m Model) readout() []string {
	th := m.th
	var l []string
	dim := th.Text
	switch {
	case m.disconnected:
		l = append(l, th.Bad.Render(m.disconnectedText()))
		if m.lastErr != nil {
			l = append(l, th.Muted.Render("  "+sanitize.Line(m.lastErr.Error())))
		}
		dim = th.Muted
	case !m.polled:
		l = append(l, th.Muted.Render("connecting…"))
	default:
		l = append(l, m.gatewayLine())
	}
	// embedded mode counts only what this process did: say so next to the counters
	local := ""
	if m.localOnly {
		local = " · this process only"
	}
	if g := m.gw.Stats; g != nil {
		l = append(l, dim.Render(fmt.Sprintf("  requests %s · errors %s · up %s",
			humanize.Comma(g.TotalRequests), humanize.Comma(g.TotalErrors), uptime(g.UptimeSeconds))))
	}
	if m.db == "" {
		return append(l, th.Muted.Render("no database selected"))
	}
	switch {
	case m.unavailable != "":
		l = append(l, th.Title.Render(sanitize.Line(m.db)))
		wrapped := lipgloss.NewStyle().Width(max(m.width, 1)).Render(sanitize.Line(m.unavailable))
		for _, line := range strings.Split(wrapped, "\n") {
			l = append(l, th.Muted.Render(line))
		}
		return l
	case m.stats == nil && m.statsErr != nil:
		return append(l, th.Bad.Render("✖ "+sanitize.Line(m.statsErr.Error())))
	case m.stats == nil:
		return append(l, th.Muted.Render("waiting for figures…"))
	}
	s := m.stats
	glyph, dot := th.StatusDot(s.Status)
	head := dot.Render(glyph) + " " + th.Title.Render(sanitize.Line(m.db)) + dim.Render(" "+sanitize.Line(s.Status))
	if isPostgres(s) {
		head += dim.Render(" · postgres")
	}
	if s.Status == "running" {
		head += dim.Render(" · up " + uptime(s.UptimeSeconds))
	}
	lab := th.Label()
	kv := func(pairs ...string) string {
		var b strings.Builder
		for i := 0; i+1 < len(pairs); i += 2 {
			if i > 0 {
				b.WriteString(lab.Render(" · "))
			}
			b.WriteString(lab.Render(pairs[i]+" ") + dim.Render(pairs[i+1]))
		}
		return b.String()
	}
	sizes := kv("size", bytes(s.SizeBytes), "wal", bytes(s.WALBytes), "conns", fmt.Sprint(s.OpenConnections))
	if isPostgres(s) {
		// the server's WAL is shared by every database: no per-database figure
		sizes = kv("size", bytes(s.SizeBytes), "conns", fmt.Sprint(s.OpenConnections), "tx/s", m.txnRate())
	}
	l = append(l, head,
		sizes,
		kv("queries", humanize.Comma(s.QueriesTotal), "errors", humanize.Comma(s.ErrorsTotal))+th.Muted.Render(local),
		kv("p50", ms(s.Latency.P50), "p95", ms(s.Latency.P95), "p99", ms(s.Latency.P99)),
	)
	if m.statsErr != nil {
		l = append(l, th.Bad.Render("✖ "+sanitize.Line(m.statsErr.Error())))
	}
	return l
}

func (m Model) gatewayLine() string {
	th := m.th
	h := m.gw.Health
	status := "reachable"
	glyph, dot := th.StatusDot("running")
	if h != nil && h.Status != "" && h.Status != "healthy" {
		status = sanitize.Line(h.Status)
		glyph, dot = th.StatusDot("error")
	}
	line := dot.Render(glyph) + " " + th.Text.Render("gateway "+status) +
		th.Muted.Render(" · rtt "+roundDur(m.gw.RTT))
	if m.localOnly {
		// in-process: its counters leave out a serve or CLI on the same data dir
		line = dot.Render(glyph) + " " + th.Text.Render("embedded gateway") + th.Muted.Render(" · this process only")
	}
	if h != nil && h.Version != "" {
		line += th.Muted.Render(" · " + sanitize.Line(h.Version))
	}
	if h == nil && m.gw.Stats != nil {
		line += th.Muted.Render(" · /health n/a")
	}
	return line
}

// graphs draws the QPS and p95 plots (and transactions/s between them for
// PostgreSQL) in the rows left, each with a caption; they are left out
// when there is no room.
func (m Model) graphs(rows int) []string {
	if m.stats == nil || rows < 4 {
		return nil
	}
	series := m.stats.Series
	if len(series) == 0 {
		return []string{"", m.th.Muted.Render("no samples yet")}
	}
	qps := make([]float64, len(series))
	p95 := make([]float64, len(series))
	for i, s := range series {
		qps[i], p95[i] = s.QPS, s.P95Ms
	}
	span := series[len(series)-1].T.Sub(series[0].T)
	type graph struct {
		name string
		data []float64
		span time.Duration
	}
	graphs := []graph{{"queries/s", qps, span}, {"p95 ms", p95, span}}
	if isPostgres(m.stats) {
		graphs = []graph{graphs[0], {"transactions/s", m.txn.rates(), m.txn.span()}, graphs[1]}
	}
	// One blank line, then each plot with its caption; the last ones are
	// left out until each keeps at least three plot lines.
	for len(graphs) > 1 && (rows-1)/len(graphs) < 4 {
		graphs = graphs[:len(graphs)-1]
	}
	each := (rows - 1) / len(graphs)
	out := []string{""}
	for _, g := range graphs {
		if len(g.data) == 0 {
			out = append(out, m.th.Accent.Render(g.name)+m.th.Muted.Render(" · waiting for a second sample"))
			continue
		}
		out = append(out, m.th.Accent.Render(g.name)+m.th.Muted.Render(" · last "+roundDur(g.span)))
		for _, line := range plot(g.data, m.width, each-1) {
			out = append(out, m.th.Graph().Render(line))
		}
	}
	return out
}

func bytes(n int64) string {
	if n <= 0 {
		return "0 B"
	}
	return units.Bytes(n)
}

func ms(v float64) string {
	switch {
	case v <= 0:
		return "0 ms"
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 1000:
		return fmt.Sprintf("%.0f ms", v)
	}
	return fmt.Sprintf("%.1f s", v/1000)
}

func uptime(sec float64) string {
	return roundDur(time.Duration(sec * float64(time.Second)))
}

// roundDur prints a duration at a precision a person reads: "850ms", "4s",
// "3m12s", "2h13m", "3d4h".
func roundDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	case d < 24*time.Hour:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	}
	days := int(d / (24 * time.Hour))
	return fmt.Sprintf("%dd%dh", days, int((d%(24*time.Hour))/time.Hour))
}

// txnRate is the latest transactions/s figure, "–" before two samples.
func (m Model) txnRate() string {
	r := m.txn.rates()
	if len(r) == 0 {
		return "–"
	}
	v := r[len(r)-1]
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return humanize.Comma(int64(v + 0.5))
}
