package engine

import (
	"testing"
	"time"
)

// Each statement lands in the first bound at or above its duration, and
// the counts are cumulative.
func TestQueryHistogram(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	inst, err := e.lookup("d")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{50 * time.Microsecond, 64 * time.Microsecond, 100 * time.Microsecond, 3 * time.Millisecond, 2 * time.Minute} {
		inst.stats.record(d, &Result{}, nil)
	}
	h, err := e.QueryHistogram("d")
	if err != nil {
		t.Fatal(err)
	}
	b := QueryHistogramBounds()
	if len(b) != 10 || b[0] != 64e-6 || b[2] != 1.024e-3 {
		t.Fatalf("bounds %v", b)
	}
	want := map[float64]uint64{b[0]: 2, b[1]: 3, b[2]: 3, b[3]: 4, b[9]: 4}
	for le, n := range want {
		if h.Buckets[le] != n {
			t.Errorf("le=%g: %d, want %d (%v)", le, h.Buckets[le], n, h.Buckets)
		}
	}
	if h.Count != 5 || h.SumSeconds < 120 || h.SumSeconds > 121 {
		t.Errorf("count %d, sum %g", h.Count, h.SumSeconds)
	}
	if _, err := e.QueryHistogram("nope"); err == nil {
		t.Error("unknown database accepted")
	}
}
