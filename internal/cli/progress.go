package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/internal/units"
)

// progressEvery is how often the bar is redrawn at most.
const progressEvery = 100 * time.Millisecond

// progressBar draws the state of a long transfer on one line of stderr,
// redrawn in place. A nil *progressBar draws nothing, so callers never
// branch on whether stderr is a terminal.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int64 // bytes expected; 0 when unknown
	width int   // terminal columns
	now   func() time.Time
	start time.Time
	last  time.Time
	drawn bool
}

// newProgress returns a bar on cmd's stderr when it is a terminal, else
// nil: logs and pipes get no control characters.
func newProgress(cmd *cobra.Command, label string, total int64) *progressBar {
	w := cmd.ErrOrStderr()
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width <= 0 {
		width = 80
	}
	return startProgress(w, label, total, width, time.Now)
}

func startProgress(w io.Writer, label string, total int64, width int, now func() time.Time) *progressBar {
	t := now()
	return &progressBar{w: w, label: label, total: total, width: width, now: now, start: t}
}

// update records n bytes moved so far and redraws when due. It may be
// called from any goroutine.
func (p *progressBar) update(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if p.drawn && t.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.drawn = t, true
	fmt.Fprint(p.w, "\r"+renderProgress(p.label, n, p.total, t.Sub(p.start), p.width)+"\x1b[K")
}

// done erases the bar, leaving the line for the result or the error.
func (p *progressBar) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// callback is the bar's update as an app progress callback (nil when
// there is no bar). An event that knows the size sets the bar's total.
func (p *progressBar) callback() func(app.Progress) {
	if p == nil {
		return nil
	}
	return func(e app.Progress) {
		if e.Total > 0 {
			p.mu.Lock()
			p.total = e.Total
			p.mu.Unlock()
		}
		p.update(e.Bytes)
	}
}

// renderProgress draws "label [#####-----]  45%  12.0 MiB / 27.0 MiB  3.1 MiB/s"
// within width columns; without a total it shows bytes and rate only.
func renderProgress(label string, n, total int64, elapsed time.Duration, width int) string {
	stats := units.Bytes(n)
	if total > 0 {
		stats += " / " + units.Bytes(total)
	}
	if secs := elapsed.Seconds(); secs > 0.05 {
		stats += fmt.Sprintf("  %s/s", units.Bytes(int64(float64(n)/secs)))
	}
	line := label + "  " + stats
	if total <= 0 {
		return clip(line, width-1)
	}
	pct := min(100*n/total, 100)
	stats = fmt.Sprintf("%3d%%  %s", pct, stats)
	bar := width - 1 - len([]rune(label)) - len(stats) - 6
	if bar < 10 {
		return clip(label+"  "+stats, width-1)
	}
	bar = min(bar, 40)
	fill := int(int64(bar) * min(n, total) / total)
	return label + "  [" + strings.Repeat("#", fill) + strings.Repeat("-", bar-fill) + "]  " + stats
}

// clip cuts s to at most w runes.
func clip(s string, w int) string {
	r := []rune(s)
	if w < 0 {
		w = 0
	}
	if len(r) > w {
		return string(r[:w])
	}
	return s
}
