package health

import (
	"time"

	"github.com/dbforge/dbforge/client"
)

// txnKeep is how many transactions/s points the pane keeps (at the default
// 2 s refresh, the last four minutes).
const txnKeep = 120

// txnPoint is one transactions/s figure, for the interval ending at t.
type txnPoint struct {
	t    time.Time
	rate float64
}

// transactions derives transactions per second from the successive
// transactions_total counters of a PostgreSQL database's stats: the
// gateway sends the counter, the rate is the difference of two samples
// over the time between them.
type transactions struct {
	last    time.Time // when the last counter was sampled
	total   int64     // that counter
	sampled bool      // last and total hold a sample
	points  []txnPoint
}

// add takes the counter of one stats answer sampled at t. A sample no
// later than the last one (the same answer again) changes nothing; a
// counter that went down (statistics reset, server restarted) starts over
// from it.
func (x *transactions) add(total int64, t time.Time) {
	switch {
	case !x.sampled:
	case !t.After(x.last):
		return
	case total < x.total:
		x.points = nil
	default:
		rate := float64(total-x.total) / t.Sub(x.last).Seconds()
		x.points = append(x.points, txnPoint{t, rate})
		if len(x.points) > txnKeep {
			x.points = x.points[len(x.points)-txnKeep:]
		}
	}
	x.last, x.total, x.sampled = t, total, true
}

// rates returns the kept transactions/s figures, oldest first.
func (x transactions) rates() []float64 {
	out := make([]float64, len(x.points))
	for i, p := range x.points {
		out[i] = p.rate
	}
	return out
}

// span is the time the kept figures cover.
func (x transactions) span() time.Duration {
	if len(x.points) == 0 {
		return 0
	}
	return x.points[len(x.points)-1].t.Sub(x.points[0].t)
}

// isPostgres reports whether stats are of a PostgreSQL database, whose
// figures the pane shows its own way (no WAL file; transactions/s).
func isPostgres(s *client.DatabaseStats) bool {
	return s != nil && s.Backend == client.BackendPostgres
}
