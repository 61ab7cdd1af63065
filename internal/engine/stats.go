package engine

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Latency buckets grow by 2^(1/4) from 1µs: bucket i holds durations up to
// 2^(i/4) µs, so 112 buckets reach past 4 minutes with ≤19% error.
const (
	nBuckets       = 112
	bucketsPerOct  = 4
	bucketBaseUsec = 1.0
)

// stats are one instance's counters, latency histogram and sample ring.
type stats struct {
	queries     atomic.Int64
	errors      atomic.Int64
	rowsRead    atomic.Int64
	rowsWritten atomic.Int64
	// hist is made at the first statement and the sample ring at the first
	// sample, so a database nobody uses costs a few hundred bytes: a
	// one-shot command over 10,000 databases allocates neither.
	hist     atomic.Pointer[[nBuckets]atomic.Int64]
	sumNanos atomic.Int64 // total statement time, for a histogram's _sum

	mu          sync.Mutex // guards the fields below
	ringSize    int
	ring        []Sample
	next        int
	filled      bool
	prevT       time.Time
	prevQueries int64
	prevErrors  int64
	prevHist    *[nBuckets]int64 // nil: no statement at the previous sample
}

func newStats(n int) *stats {
	return &stats{ringSize: n, prevT: time.Now()}
}

func bucketOf(d time.Duration) int {
	us := float64(d) / float64(time.Microsecond)
	if us <= bucketBaseUsec {
		return 0
	}
	i := int(math.Ceil(bucketsPerOct * math.Log2(us/bucketBaseUsec)))
	return min(i, nBuckets-1)
}

// bucketMs is the upper bound of bucket i in milliseconds.
func bucketMs(i int) float64 {
	return bucketBaseUsec * math.Exp2(float64(i)/bucketsPerOct) / 1000
}

// record counts one statement.
func (s *stats) record(d time.Duration, res *Result, err error) {
	s.queries.Add(1)
	h := s.hist.Load()
	if h == nil {
		s.hist.CompareAndSwap(nil, new([nBuckets]atomic.Int64))
		h = s.hist.Load()
	}
	h[bucketOf(d)].Add(1)
	s.sumNanos.Add(int64(d))
	if err != nil {
		s.errors.Add(1)
		return
	}
	if res.Returning && len(res.Rows) > 0 {
		s.rowsRead.Add(int64(len(res.Rows)))
	}
	if res.RowsAffected > 0 {
		s.rowsWritten.Add(res.RowsAffected)
	}
}

func (s *stats) histogram() (h [nBuckets]int64) {
	if hist := s.hist.Load(); hist != nil {
		for i := range hist {
			h[i] = hist[i].Load()
		}
	}
	return h
}

// percentile returns the upper bound (ms) of the bucket holding quantile q.
func percentile(h *[nBuckets]int64, q float64) float64 {
	var total int64
	for _, n := range h {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(total)))
	var seen int64
	for i, n := range h {
		seen += n
		if seen >= rank {
			return bucketMs(i)
		}
	}
	return bucketMs(nBuckets - 1)
}

func (s *stats) latency() Latency {
	h := s.histogram()
	return Latency{P50: percentile(&h, 0.50), P95: percentile(&h, 0.95), P99: percentile(&h, 0.99)}
}

// QueryHistogram is one database's statement latency as a cumulative
// histogram at the given upper bounds (seconds), for Prometheus.
type QueryHistogram struct {
	Count      uint64
	SumSeconds float64
	Buckets    map[float64]uint64 // upper bound in seconds → statements at most that long
}

// QueryHistogramBounds are the upper bounds QueryHistogram reports: every
// second octave of the internal buckets (64 µs × 4^k up to ~17 s), so each
// count is exact, not interpolated.
func QueryHistogramBounds() []float64 {
	var b []float64
	for i := 6 * bucketsPerOct; i <= 24*bucketsPerOct && i < nBuckets; i += 2 * bucketsPerOct {
		b = append(b, bucketMs(i)/1000)
	}
	return b
}

// QueryHistogram returns the statement latency histogram of a database.
func (e *Engine) QueryHistogram(name string) (QueryHistogram, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return QueryHistogram{}, err
	}
	h := inst.stats.histogram()
	out := QueryHistogram{SumSeconds: time.Duration(inst.stats.sumNanos.Load()).Seconds(), Buckets: map[float64]uint64{}}
	bounds := QueryHistogramBounds()
	var cum uint64
	next := 0
	for i, n := range h {
		for next < len(bounds) && i > (6+2*next)*bucketsPerOct {
			out.Buckets[bounds[next]] = cum
			next++
		}
		cum += uint64(n)
	}
	for ; next < len(bounds); next++ {
		out.Buckets[bounds[next]] = cum
	}
	out.Count = cum
	return out, nil
}

// sample appends one point covering the time since the previous one.
func (s *stats) sample(now time.Time) {
	q, e, h := s.queries.Load(), s.errors.Load(), s.histogram()
	s.mu.Lock()
	defer s.mu.Unlock()
	diff := h
	if s.prevHist != nil {
		for i := range h {
			diff[i] -= s.prevHist[i]
		}
	}
	pt := Sample{T: now.UTC(), P95Ms: percentile(&diff, 0.95), Errors: e - s.prevErrors}
	if dt := now.Sub(s.prevT).Seconds(); dt > 0 {
		pt.QPS = float64(q-s.prevQueries) / dt
	}
	if s.ring == nil {
		s.ring = make([]Sample, s.ringSize)
	}
	s.ring[s.next] = pt
	s.next = (s.next + 1) % len(s.ring)
	s.filled = s.filled || s.next == 0
	s.prevT, s.prevQueries, s.prevErrors = now, q, e
	if q > 0 {
		if s.prevHist == nil {
			s.prevHist = new([nBuckets]int64)
		}
		*s.prevHist = h
	}
}

// series returns the samples oldest first.
func (s *stats) series() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.filled {
		return append([]Sample{}, s.ring[:s.next]...)
	}
	out := make([]Sample, 0, len(s.ring))
	out = append(out, s.ring[s.next:]...)
	return append(out, s.ring[:s.next]...)
}

// Stats returns the instance's health counters and sample series.
func (e *Engine) Stats(ctx context.Context, name string) (Stats, error) {
	inst, err := e.lookup(name)
	if err != nil {
		return Stats{}, err
	}
	size, wal := fileSizes(inst.path)
	st := Stats{
		Name:         inst.name,
		Status:       inst.status(), // running also when not opened yet (or evicted)
		QueriesTotal: inst.stats.queries.Load(),
		ErrorsTotal:  inst.stats.errors.Load(),
		RowsRead:     inst.stats.rowsRead.Load(),
		RowsWritten:  inst.stats.rowsWritten.Load(),
		SizeBytes:    size + wal,
		WALBytes:     wal,
		Latency:      inst.stats.latency(),
		Series:       inst.stats.series(),
		SampledAt:    time.Now().UTC(),
	}
	e.backendStats(ctx, inst, &st)
	if c := inst.conns.Load(); c != nil {
		st.UptimeSeconds = time.Since(c.started).Seconds()
		st.OpenConnections = c.writerDB.Stats().OpenConnections + c.readerDB.Stats().OpenConnections
	}
	return st, nil
}
