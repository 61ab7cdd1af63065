package metrics

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// runtimeGauge is one go_* series summed from runtime/metrics samples, with
// the name, help and meaning the Prometheus client's Go collector gives it.
type runtimeGauge struct {
	name, help string
	typ        Type
	sources    []string // runtime/metrics keys, summed
}

func runtimeGauges() []runtimeGauge {
	return []runtimeGauge{
		{"go_gc_gogc_percent", "Heap size target percentage configured by the user, otherwise 100. This value is set by the GOGC environment variable, and the runtime/debug.SetGCPercent function. Sourced from /gc/gogc:percent.", TypeGauge, []string{"/gc/gogc:percent"}},
		{"go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user, otherwise math.MaxInt64. This value is set by the GOMEMLIMIT environment variable, and the runtime/debug.SetMemoryLimit function. Sourced from /gc/gomemlimit:bytes.", TypeGauge, []string{"/gc/gomemlimit:bytes"}},
		{"go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", TypeGauge, []string{"/memory/classes/heap/objects:bytes"}},
		{"go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", TypeCounter, []string{"/gc/heap/allocs:bytes"}},
		{"go_memstats_buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table. Equals to /memory/classes/profiling/buckets:bytes.", TypeGauge, []string{"/memory/classes/profiling/buckets:bytes"}},
		{"go_memstats_frees_total", "Total number of heap objects frees. Equals to /gc/heap/frees:objects + /gc/heap/tiny/allocs:objects.", TypeCounter, []string{"/gc/heap/frees:objects", "/gc/heap/tiny/allocs:objects"}},
		{"go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata. Equals to /memory/classes/metadata/other:bytes.", TypeGauge, []string{"/memory/classes/metadata/other:bytes"}},
		{"go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", TypeGauge, []string{"/memory/classes/heap/objects:bytes"}},
		{"go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", TypeGauge, []string{"/memory/classes/heap/released:bytes", "/memory/classes/heap/free:bytes"}},
		{"go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", TypeGauge, []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}},
		{"go_memstats_heap_objects", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", TypeGauge, []string{"/gc/heap/objects:objects"}},
		{"go_memstats_heap_released_bytes", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", TypeGauge, []string{"/memory/classes/heap/released:bytes"}},
		{"go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", TypeGauge, []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes", "/memory/classes/heap/released:bytes", "/memory/classes/heap/free:bytes"}},
		{"go_memstats_mallocs_total", "Total number of heap objects allocated, both live and gc-ed. Semantically a counter version for go_memstats_heap_objects gauge. Equals to /gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects.", TypeCounter, []string{"/gc/heap/allocs:objects", "/gc/heap/tiny/allocs:objects"}},
		{"go_memstats_mcache_inuse_bytes", "Number of bytes in use by mcache structures. Equals to /memory/classes/metadata/mcache/inuse:bytes.", TypeGauge, []string{"/memory/classes/metadata/mcache/inuse:bytes"}},
		{"go_memstats_mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system. Equals to /memory/classes/metadata/mcache/inuse:bytes + /memory/classes/metadata/mcache/free:bytes.", TypeGauge, []string{"/memory/classes/metadata/mcache/inuse:bytes", "/memory/classes/metadata/mcache/free:bytes"}},
		{"go_memstats_mspan_inuse_bytes", "Number of bytes in use by mspan structures. Equals to /memory/classes/metadata/mspan/inuse:bytes.", TypeGauge, []string{"/memory/classes/metadata/mspan/inuse:bytes"}},
		{"go_memstats_mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system. Equals to /memory/classes/metadata/mspan/inuse:bytes + /memory/classes/metadata/mspan/free:bytes.", TypeGauge, []string{"/memory/classes/metadata/mspan/inuse:bytes", "/memory/classes/metadata/mspan/free:bytes"}},
		{"go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", TypeGauge, []string{"/gc/heap/goal:bytes"}},
		{"go_memstats_other_sys_bytes", "Number of bytes used for other system allocations. Equals to /memory/classes/other:bytes.", TypeGauge, []string{"/memory/classes/other:bytes"}},
		{"go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", TypeGauge, []string{"/memory/classes/heap/stacks:bytes"}},
		{"go_memstats_stack_sys_bytes", "Number of bytes obtained from system for stack allocator. Equals to /memory/classes/heap/stacks:bytes + /memory/classes/os-stacks:bytes.", TypeGauge, []string{"/memory/classes/heap/stacks:bytes", "/memory/classes/os-stacks:bytes"}},
		{"go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", TypeGauge, []string{"/memory/classes/total:bytes"}},
		{"go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting, or the number of operating system threads that can execute user-level Go code simultaneously. Sourced from /sched/gomaxprocs:threads.", TypeGauge, []string{"/sched/gomaxprocs:threads"}},
	}
}

// GoFamilies are the commonly dashboarded go_* families of the Prometheus
// client's Go collector, same names and meanings, read from runtime and
// runtime/metrics at scrape time.
func GoFamilies() []Family {
	fams := []Family{
		{"go_goroutines", "Number of goroutines that currently exist.", TypeGauge, func(w *Writer) {
			w.Sample("go_goroutines", nil, float64(runtime.NumGoroutine()))
		}},
		{"go_threads", "Number of OS threads created.", TypeGauge, func(w *Writer) {
			n, _ := runtime.ThreadCreateProfile(nil)
			w.Sample("go_threads", nil, float64(n))
		}},
		{"go_info", "Information about the Go environment.", TypeGauge, func(w *Writer) {
			w.Sample("go_info", []Label{{"version", runtime.Version()}}, 1)
		}},
		{"go_gc_duration_seconds", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.", TypeSummary, writeGCPauses},
		{"go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", TypeGauge, func(w *Writer) {
			var st debug.GCStats
			debug.ReadGCStats(&st)
			w.Sample("go_memstats_last_gc_time_seconds", nil, float64(st.LastGC.UnixNano())/1e9)
		}},
	}
	gauges := runtimeGauges()
	for _, g := range gauges {
		fams = append(fams, Family{g.name, g.help, g.typ, func(w *Writer) {
			w.Sample(g.name, nil, readRuntime(g.sources))
		}})
	}
	return fams
}

// writeGCPauses writes go_gc_duration_seconds as the client's Go collector
// does: the 0, 25, 50, 75 and 100th percentile of recent pauses, their
// total and the number of collections.
func writeGCPauses(w *Writer) {
	st := debug.GCStats{PauseQuantiles: make([]time.Duration, 5)}
	debug.ReadGCStats(&st)
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		w.Sample("go_gc_duration_seconds", []Label{{"quantile", q}}, st.PauseQuantiles[i].Seconds())
	}
	w.Sample("go_gc_duration_seconds_sum", nil, st.PauseTotal.Seconds())
	w.Sample("go_gc_duration_seconds_count", nil, float64(st.NumGC))
}

// readRuntime sums the named runtime/metrics values; a key this Go does
// not know counts 0.
func readRuntime(keys []string) float64 {
	samples := make([]metrics.Sample, len(keys))
	for i, k := range keys {
		samples[i].Name = k
	}
	metrics.Read(samples)
	var sum float64
	for _, s := range samples {
		switch s.Value.Kind() {
		case metrics.KindUint64:
			sum += float64(s.Value.Uint64())
		case metrics.KindFloat64:
			sum += s.Value.Float64()
		}
	}
	return sum
}
