// Package metrics keeps counters and fixed-bucket histograms with atomics
// and writes them, with whatever else a caller reads at scrape time, in the
// Prometheus text exposition format 0.0.4. It is small on purpose: the
// Prometheus client library cost every command of the binary ~2 ms of
// package init.
package metrics

import (
	"math"
	"sync/atomic"
)

// Counter is a monotonic count, safe for concurrent use without locks.
type Counter struct{ n atomic.Uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.n.Add(1) }

// Value is the count so far.
func (c *Counter) Value() uint64 { return c.n.Load() }

// Histogram counts observations into fixed buckets, lock-free: one atomic
// add for the bucket and a compare-and-swap loop for the sum.
type Histogram struct {
	bounds  []float64       // upper bounds, ascending; +Inf is implicit
	counts  []atomic.Uint64 // per bucket (not cumulative); the last is +Inf
	sumBits atomic.Uint64   // float64 bits of the sum of observations
}

// NewHistogram returns a histogram with the given ascending upper bounds.
// The histogram keeps the slice: callers must not change it.
func NewHistogram(bounds []float64) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	i := 0
	for i < len(h.bounds) && v > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	for {
		old := h.sumBits.Load()
		if h.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Snapshot reads the histogram as Prometheus exposes it: cumulative counts
// per upper bound. Count is the +Inf bucket, so the two always agree.
func (h *Histogram) Snapshot() HistogramSnapshot {
	s := HistogramSnapshot{Bounds: h.bounds, Cumulative: make([]uint64, len(h.bounds))}
	var cum uint64
	for i := range h.bounds {
		cum += h.counts[i].Load()
		s.Cumulative[i] = cum
	}
	s.Count = cum + h.counts[len(h.bounds)].Load()
	s.Sum = math.Float64frombits(h.sumBits.Load())
	return s
}

// HistogramSnapshot is a histogram as exposed: Cumulative[i] observations
// were at most Bounds[i]; Count is every observation (the +Inf bucket).
type HistogramSnapshot struct {
	Bounds     []float64
	Cumulative []uint64
	Count      uint64
	Sum        float64
}
