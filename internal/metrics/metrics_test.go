package metrics

import (
	"bytes"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parse reads an exposition with the Prometheus project's own parser.
func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, text)
	}
	return fams
}

func write(t *testing.T, fams []Family) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, fams); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHostileLabelValuesRoundTrip(t *testing.T) {
	hostile := []string{
		`a"b`, `back\slash`, "new\nline", `"} 1` + "\n" + `injected_total 99`, `\"`, `\n`, "\xff\xfeinvalid", "",
	}
	text := write(t, []Family{{Name: "t_total", Help: "help with \\ and\nnewline", Type: TypeCounter, Write: func(w *Writer) {
		for i, v := range hostile {
			w.Sample("t_total", []Label{{"route", v}, {"i", string(rune('a' + i))}}, float64(i))
		}
	}}})
	fams := parse(t, text)
	if _, ok := fams["injected_total"]; ok {
		t.Fatal("a label value injected a series")
	}
	f := fams["t_total"]
	if f.GetHelp() != "help with \\ and\nnewline" {
		t.Errorf("help = %q", f.GetHelp())
	}
	if len(f.Metric) != len(hostile) {
		t.Fatalf("%d series, want %d:\n%s", len(f.Metric), len(hostile), text)
	}
	for i, m := range f.Metric {
		want := strings.ToValidUTF8(hostile[i], "\uFFFD")
		if got := m.Label[0].GetValue(); m.Label[0].GetName() != "route" || got != want {
			t.Errorf("series %d: route=%q, want %q", i, got, want)
		}
		if m.GetCounter().GetValue() != float64(i) {
			t.Errorf("series %d: value %v", i, m.GetCounter().GetValue())
		}
	}
}

func TestHistogramIsCumulativeWithSumAndCount(t *testing.T) {
	h := NewHistogram([]float64{0.1, 1, 10})
	for _, v := range []float64{0.05, 0.1, 0.5, 2, 20, 30} {
		h.Observe(v)
	}
	text := write(t, []Family{{Name: "lat_seconds", Help: "x", Type: TypeHistogram, Write: func(w *Writer) {
		w.Histogram("lat_seconds", []Label{{"db", "a"}}, h.Snapshot())
	}}})
	m := parse(t, text)["lat_seconds"].Metric[0].GetHistogram()
	var got []uint64
	for _, b := range m.Bucket {
		got = append(got, b.GetCumulativeCount())
	}
	// 0.1 itself belongs to le="0.1"; 20 and 30 only to +Inf, the last
	if want := []uint64{2, 3, 4, 6}; !slices.Equal(got, want) {
		t.Errorf("buckets %v, want %v\n%s", got, want, text)
	}
	if m.GetSampleCount() != 6 || math.Abs(m.GetSampleSum()-52.65) > 1e-9 {
		t.Errorf("count %d sum %v", m.GetSampleCount(), m.GetSampleSum())
	}
	if !strings.Contains(text, `lat_seconds_bucket{db="a",le="+Inf"} 6`) {
		t.Errorf("no +Inf bucket:\n%s", text)
	}
}

func TestHistogramConcurrentObserveLosesNothing(t *testing.T) {
	h := NewHistogram([]float64{1})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10000 {
				h.Observe(0.5)
			}
		})
	}
	wg.Wait()
	s := h.Snapshot()
	if s.Count != 80000 || s.Cumulative[0] != 80000 || s.Sum != 40000 {
		t.Fatalf("count %d bucket %d sum %v", s.Count, s.Cumulative[0], s.Sum)
	}
}

func TestFamiliesSortedAndEmptyOnesLeftOut(t *testing.T) {
	sample := func(name string) func(*Writer) { return func(w *Writer) { w.Sample(name, nil, 1) } }
	text := write(t, []Family{
		{"b_total", "b", TypeCounter, sample("b_total")},
		{"empty", "never sampled", TypeGauge, func(*Writer) {}},
		{"a", "a", TypeGauge, sample("a")},
	})
	want := "# HELP a a\n# TYPE a gauge\na 1\n# HELP b_total b\n# TYPE b_total counter\nb_total 1\n"
	if text != want {
		t.Fatalf("got\n%s\nwant\n%s", text, want)
	}
}

func TestNumbersAsPrometheusWritesThem(t *testing.T) {
	for v, want := range map[float64]string{1: "1", 0.0005: "0.0005", 3.759056e+06: "3.759056e+06", math.Inf(1): "+Inf", math.Inf(-1): "-Inf", math.NaN(): "NaN"} {
		if got := string(formatFloat(nil, v)); got != want {
			t.Errorf("%v → %q, want %q", v, got, want)
		}
	}
}

// TestGoAndProcessFamiliesParse checks the runtime and /proc readings
// make a valid exposition with the names dashboards use.
func TestGoAndProcessFamiliesParse(t *testing.T) {
	fams := parse(t, write(t, append(GoFamilies(), ProcessFamilies()...)))
	want := []string{"go_goroutines", "go_threads", "go_info", "go_gc_duration_seconds",
		"go_memstats_alloc_bytes", "go_memstats_heap_inuse_bytes", "go_memstats_sys_bytes"}
	if ProcessFamilies() != nil {
		want = append(want, "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
			"process_open_fds", "process_max_fds", "process_start_time_seconds")
	}
	for _, name := range want {
		f, ok := fams[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		m := f.Metric[0]
		v := m.GetGauge().GetValue() + m.GetCounter().GetValue() + float64(m.GetSummary().GetSampleCount())
		if name != "go_gc_duration_seconds" && v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	if q := fams["go_gc_duration_seconds"].Metric[0].GetSummary().GetQuantile(); len(q) != 5 {
		t.Errorf("go_gc_duration_seconds has %d quantiles", len(q))
	}
}

// TestWriteTextStreams: writing 10,000 series of a histogram and a counter
// allocates a small fraction of the text: nothing holds the exposition.
func TestWriteTextStreams(t *testing.T) {
	names := make([]string, 10000)
	for i := range names {
		names[i] = "db" + strconv.Itoa(i)
	}
	h := NewHistogram([]float64{.001, .01, .1, 1, 10}).Snapshot()
	fams := []Family{
		{"x_total", "x", TypeCounter, func(w *Writer) {
			for i, n := range names {
				w.Sample("x_total", []Label{{"db", n}}, float64(i))
			}
		}},
		{"y_seconds", "y", TypeHistogram, func(w *Writer) {
			for _, n := range names {
				w.Histogram("y_seconds", []Label{{"db", n}}, h)
			}
		}},
	}
	cw := &countingWriter{}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if err := WriteText(cw, fams); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	alloc := m1.TotalAlloc - m0.TotalAlloc
	if cw.n < 3_000_000 || alloc > uint64(cw.n/10) && !raceDetector {
		t.Fatalf("%d bytes written, %d allocated", cw.n, alloc)
	}
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
