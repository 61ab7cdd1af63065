package metrics

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"syscall"
)

// ProcessFamilies are the process_* families of the Prometheus client's
// process collector that dashboards use, same names and meanings, read
// from /proc/self and getrusage/getrlimit at scrape time. A figure that
// cannot be read is left out of that scrape.
func ProcessFamilies() []Family {
	return []Family{
		{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", TypeCounter, func(w *Writer) {
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				cpu := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
				w.Sample("process_cpu_seconds_total", nil, cpu)
			}
		}},
		{"process_resident_memory_bytes", "Resident memory size in bytes.", TypeGauge, func(w *Writer) {
			if st, ok := readSelfStat(); ok {
				w.Sample("process_resident_memory_bytes", nil, float64(st.rssPages*uint64(os.Getpagesize())))
			}
		}},
		{"process_virtual_memory_bytes", "Virtual memory size in bytes.", TypeGauge, func(w *Writer) {
			if st, ok := readSelfStat(); ok {
				w.Sample("process_virtual_memory_bytes", nil, float64(st.vsize))
			}
		}},
		{"process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", TypeGauge, func(w *Writer) {
			var rl syscall.Rlimit
			if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil {
				w.Sample("process_virtual_memory_max_bytes", nil, float64(rl.Cur))
			}
		}},
		{"process_open_fds", "Number of open file descriptors.", TypeGauge, func(w *Writer) {
			if n, ok := countOpenFDs(); ok {
				w.Sample("process_open_fds", nil, float64(n))
			}
		}},
		{"process_max_fds", "Maximum number of open file descriptors.", TypeGauge, func(w *Writer) {
			var rl syscall.Rlimit
			if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil {
				w.Sample("process_max_fds", nil, float64(rl.Cur))
			}
		}},
		{"process_start_time_seconds", "Start time of the process since unix epoch in seconds.", TypeGauge, func(w *Writer) {
			st, ok := readSelfStat()
			boot, ok2 := bootTime()
			if ok && ok2 {
				w.Sample("process_start_time_seconds", nil, float64(boot)+float64(st.startTicks)/clockTicks)
			}
		}},
	}
}

// clockTicks is USER_HZ, the unit of /proc times: 100 on every Linux
// architecture Go supports (the Prometheus client assumes it too).
const clockTicks = 100

type selfStat struct {
	startTicks, vsize, rssPages uint64
}

// readSelfStat parses the fields of /proc/self/stat this package uses.
// The command name (field 2) may hold spaces and parentheses, so fields
// are counted from its last ')'.
func readSelfStat() (selfStat, bool) {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return selfStat{}, false
	}
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return selfStat{}, false
	}
	f := bytes.Fields(raw[i+1:]) // f[0] is field 3 (state)
	if len(f) < 22 {
		return selfStat{}, false
	}
	num := func(field int) uint64 { n, _ := strconv.ParseUint(string(f[field-3]), 10, 64); return n }
	return selfStat{startTicks: num(22), vsize: num(23), rssPages: num(24)}, true
}

// bootTime is the btime line of /proc/stat: the boot time in Unix seconds.
func bootTime() (uint64, bool) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for line := range bytes.SplitSeq(raw, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("btime ")); ok {
			n, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// countOpenFDs counts the entries of /proc/self/fd, reading the directory
// in chunks so 20,000 descriptors cost no 20,000-name slice.
func countOpenFDs() (int, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	n := 0
	for {
		names, err := d.Readdirnames(1024)
		n += len(names)
		if err == io.EOF {
			return n - 1, true // less the descriptor reading the directory
		}
		if err != nil {
			return 0, false
		}
	}
}
