// Command benchhttp is `make bench-http`: it starts `dbforge serve` (the
// built binary) and the bare baseline (cmd/benchbare) as two processes on
// free loopback ports, seeds the same tables in both, and drives each with
// a load generator in a third process — wrk when it is on PATH, else this
// program re-run as a small Go load generator — alternating the contenders
// over several rounds. It prints every round, the medians and the ratio
// DB-Forge / bare for each workload.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dbforge/dbforge/internal/benchbare/benchrun"
)

// benchKey is the admin key of the throwaway gateway (loopback, temp dir).
const benchKey = "bench-http-admin-key-0123456789abcdef"

const seedRows = 10000

// setup runs on both contenders before any load: t is the plain table,
// td the same with a DATETIME column, w takes the inserts.
var setup = []string{
	"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score REAL, created TEXT)",
	"CREATE TABLE td (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score REAL, created DATETIME)",
	"CREATE TABLE w (id INTEGER PRIMARY KEY, v TEXT)",
	fill("t"),
	fill("td"),
}

func fill(table string) string {
	return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ` + strconv.Itoa(seedRows) + `)
INSERT INTO ` + table + ` SELECT i, 'user ' || i, 'user' || i || '@example.com', i * 1.5, '2024-01-01 00:00:00' FROM n`
}

// target is one request shape; %d in path or body becomes a random id.
type target struct {
	method, path, body string
	want               string // in the body of a correct answer
}

type workload struct {
	name          string
	dbforge, bare target
	// ref, when set, is another DB-Forge request measured in the same
	// rounds (alternated with the two above), so a same-server ratio such
	// as the DATETIME table against the plain one is not skewed by load
	// that changed between workloads.
	ref *target
}

func workloads() []workload {
	point := func(table string) string {
		return `{"sql":"SELECT * FROM ` + table + ` WHERE id = ?","params":[%d]}`
	}
	insert := `{"sql":"INSERT INTO w (v) VALUES (?)","params":["value %d"]}`
	// plain is DB-Forge's point SELECT on the plain table, the reference of
	// the DATETIME table and of the rows route
	plain := target{"POST", "/api/db/bench/query", point("t"), `"rows_affected":1`}
	return []workload{
		{"point SELECT by PK",
			plain,
			target{"POST", "/query", point("t"), `"rows_affected":1`}, nil},
		{"single-row INSERT",
			target{"POST", "/api/db/bench/query", insert, `"rows_affected":1`},
			target{"POST", "/exec", insert, `"rows_affected":1`}, nil},
		{"point SELECT, DATETIME column",
			target{"POST", "/api/db/bench/query", point("td"), `"rows_affected":1`},
			target{"POST", "/query", point("td"), `"rows_affected":1`}, &plain},
		{"GET /tables/t/rows?id=",
			target{"GET", "/api/db/bench/tables/t/rows?id=%d", "", `"rows_affected":1`},
			target{"GET", "/tables/t/rows?id=%d", "", `"rows_affected":1`}, &plain},
	}
}

type config struct {
	dbforge, bare    string
	rounds           int
	duration, warmup time.Duration
	conns, threads   int
	loader           string
	only             *regexp.Regexp
	together         bool // both contenders loaded at once
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "load" {
		if err := loadMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.StringVar(&c.dbforge, "dbforge", "./dbforge", "the dbforge binary")
	flag.StringVar(&c.bare, "bare", "./benchbare", "the benchbare binary")
	flag.IntVar(&c.rounds, "rounds", 5, "measured rounds per contender and workload")
	flag.DurationVar(&c.duration, "duration", 3*time.Second, "length of one round")
	flag.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured run per contender before the rounds of a workload")
	flag.IntVar(&c.conns, "c", 8, "concurrent connections")
	flag.IntVar(&c.threads, "t", 1, "wrk threads")
	flag.StringVar(&c.loader, "loader", "auto", "load generator: wrk, go, or auto (wrk when on PATH)")
	only := flag.String("run", "", "only the workloads whose name matches this regular expression")
	flag.BoolVar(&c.together, "together", false, "load both contenders at the same time (two load generators) instead of alternating; no same-server rows")
	flag.Parse()
	var err error
	if c.only, err = regexp.Compile(*only); err != nil {
		fmt.Fprintln(os.Stderr, "bench-http: -run:", err)
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench-http:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.loader == "auto" {
		c.loader = "go"
		if _, err := exec.LookPath("wrk"); err == nil {
			c.loader = "wrk"
		}
	}
	if c.loader != "wrk" && c.loader != "go" {
		return fmt.Errorf("unknown -loader %q", c.loader)
	}
	tmp, err := os.MkdirTemp("", "bench-http-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	dbf, err := startDBForge(c.dbforge, tmp)
	if err != nil {
		return err
	}
	defer dbf.stop()
	bare, err := startBare(c.bare, tmp)
	if err != nil {
		return err
	}
	defer bare.stop()
	if err := benchrun.Seed(benchKey, dbf.url, bare.url, setup); err != nil {
		return err
	}

	how := "alternating"
	if c.together {
		how = "both at once"
	}
	fmt.Printf("load generator: %s, %d connections, %d rounds of %s per contender (%s), warm-up %s\n",
		describeLoader(c), c.conns, c.rounds, c.duration, how, c.warmup)
	// ratio is of the medians; paired is the median of each round's own
	// ratio (the two ran back to back), which a machine that slows down
	// or speeds up between rounds moves less
	fmt.Printf("%-32s %10s %10s %7s %7s   rounds (dbforge | bare)\n", "workload", "dbforge", "bare", "ratio", "paired")
	medians := map[string]float64{}
	type cpuRow struct {
		name      string
		dbf, bare float64
		paired    float64 // median of the rounds' bare / dbforge
	}
	var cpuRows []cpuRow
	type refRow struct {
		name          string
		rps, cpuRatio float64 // this workload / DB-Forge's plain point SELECT, same rounds
	}
	var refRows []refRow
	for _, w := range workloads() {
		if !c.only.MatchString(w.name) {
			continue
		}
		// contenders of a round: 0 DB-Forge, 1 bare, 2 the reference
		type contender struct {
			p *process
			t target
		}
		contenders := []contender{{dbf, w.dbforge}, {bare, w.bare}}
		if w.ref != nil && !c.together {
			contenders = append(contenders, contender{dbf, *w.ref})
		}
		for _, ct := range contenders {
			if err := check(ct.p.url, ct.t); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			if _, err := load(c, ct.p.url, ct.t, c.warmup); err != nil {
				return fmt.Errorf("%s warm-up: %w", w.name, err)
			}
		}
		rps := make([][]float64, len(contenders))
		cpu := make([][]float64, len(contenders))
		for i := range c.rounds {
			got := make([]measured, len(contenders))
			errs := make([]error, len(contenders))
			if c.together {
				// both at once, each with its own load generator: whatever
				// the machine does at a moment, it does to both
				var wg sync.WaitGroup
				for k, ct := range contenders {
					wg.Go(func() { got[k], errs[k] = measure(c, ct.p, ct.t) })
				}
				wg.Wait()
			} else {
				for j := range contenders {
					k := j
					if i%2 == 1 {
						k = len(contenders) - 1 - j // the first of a round swaps each round
					}
					if got[k], errs[k] = measure(c, contenders[k].p, contenders[k].t); errs[k] != nil {
						break
					}
				}
			}
			if err := errors.Join(errs...); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			for k, m := range got {
				rps[k] = append(rps[k], m.rps)
				cpu[k] = append(cpu[k], m.cpu)
			}
		}
		dm, bm := benchrun.Median(rps[0]), benchrun.Median(rps[1])
		medians[w.name] = dm
		fmt.Printf("%-32s %10.0f %10.0f %7.2f %7.2f   %s | %s\n", w.name, dm, bm, dm/bm,
			benchrun.Median(roundRatios(rps[0], rps[1])), benchrun.List(rps[0]), benchrun.List(rps[1]))
		cpuRows = append(cpuRows, cpuRow{w.name, benchrun.Median(cpu[0]), benchrun.Median(cpu[1]),
			benchrun.Median(roundRatios(cpu[1], cpu[0]))})
		if len(contenders) > 2 {
			refRows = append(refRows, refRow{w.name, dm / benchrun.Median(rps[2]), benchrun.Median(cpu[2]) / benchrun.Median(cpu[0])})
		}
	}
	// CPU per request is steadier than req/s on a shared machine: another
	// process's load slows both servers' wall clock, not their own work.
	fmt.Printf("\n%-32s %10s %10s %7s %7s   (server process CPU time / requests, medians; b/d = bare / dbforge)\n", "µs CPU/req", "dbforge", "bare", "b/d", "paired")
	for _, r := range cpuRows {
		fmt.Printf("%-32s %10.1f %10.1f %7.2f %7.2f\n", r.name, r.dbf, r.bare, r.bare/r.dbf, r.paired)
	}
	if p, d := medians["point SELECT by PK"], medians["point SELECT, DATETIME column"]; p > 0 && d > 0 {
		fmt.Printf("dbforge DATETIME table / plain table: %.2f (medians of different workloads)\n", d/p)
	}
	if len(refRows) > 0 {
		fmt.Printf("\n%-32s %10s %10s   (DB-Forge only; the plain point SELECT alternated in the same rounds)\n", "same server, vs plain /query", "req/s", "CPU")
		for _, r := range refRows {
			fmt.Printf("%-32s %10.2f %10.2f\n", r.name, r.rps, r.cpuRatio)
		}
	}
	return nil
}

func describeLoader(c config) string {
	if c.loader == "wrk" {
		return fmt.Sprintf("wrk (-t%d, Lua request script)", c.threads)
	}
	return "Go load generator (this program re-run as `benchhttp load`; wrk not found)"
}

// process is one started contender.
type process struct {
	cmd *exec.Cmd
	url string
}

// cpuTime is the process's user+system CPU time so far (all threads),
// from /proc; zero where /proc is missing.
func (p *process) cpuTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// the fields after the command name, which is in parentheses and may
	// hold spaces: state is field 3, utime 14, stime 15
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const clockTicks = 100 // USER_HZ, 100 on every Linux architecture Go supports
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// measured is one contender's round: req/s and µs of its CPU per request.
type measured struct{ rps, cpu float64 }

// measure runs one round of t against p.
func measure(c config, p *process, t target) (measured, error) {
	cpu0 := p.cpuTime()
	r, err := load(c, p.url, t, c.duration)
	if err != nil {
		return measured{}, err
	}
	return measured{r, cpuPerRequest(p.cpuTime()-cpu0, r, c.duration)}, nil
}

// roundRatios is a[i] / b[i] for each round i.
func roundRatios(a, b []float64) []float64 {
	out := make([]float64, 0, len(a))
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			out = append(out, a[i]/b[i])
		}
	}
	return out
}

// cpuPerRequest is µs of server CPU per request of a round of length d.
func cpuPerRequest(cpu time.Duration, rps float64, d time.Duration) float64 {
	n := rps * d.Seconds()
	if n <= 0 {
		return 0
	}
	return float64(cpu.Microseconds()) / n
}

func (p *process) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

func startDBForge(bin, tmp string) (*process, error) {
	cmd, url, err := benchrun.StartDBForge(bin, tmp, benchKey, nil, "", 15*time.Second,
		func(cmd *exec.Cmd) { (&process{cmd: cmd}).stop() })
	if err != nil {
		return nil, err
	}
	return &process{cmd: cmd, url: url}, nil
}

func startBare(bin, tmp string) (*process, error) {
	addr, err := benchrun.FreeAddr()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, "bare")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-addr", addr, "-dir", dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, url: "http://" + addr}
	if err := benchrun.WaitReady(p.url+"/tables/none/rows", 15*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("benchbare: %w", err)
	}
	return p, nil
}

// do is a request to either contender with the gateway's admin key.
func do(method, url, body string) (benchrun.Answer, error) {
	return benchrun.Do(benchKey, method, url, body)
}

// check sends one request of t and insists on a correct answer, so a round
// never measures error replies.
func check(base string, t target) error {
	a, err := do(t.method, base+benchrun.WithID(t.path, 42), benchrun.WithID(t.body, 42))
	if err != nil {
		return err
	}
	if a.Status != http.StatusOK || !strings.Contains(a.Body, t.want) {
		return fmt.Errorf("%s %s: %d %s", t.method, t.path, a.Status, a.Body)
	}
	return nil
}

// load runs the load generator against base for d and returns req/s.
func load(c config, base string, t target, d time.Duration) (float64, error) {
	if c.loader == "wrk" {
		return loadWrk(c, base, t, d)
	}
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	out, err := exec.Command(self, "load", "-url", base, "-method", t.method, "-path", t.path,
		"-body", t.body, "-c", strconv.Itoa(c.conns), "-d", d.String()).Output()
	if err != nil {
		return 0, fmt.Errorf("go load generator: %w", err)
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}

func loadWrk(c config, base string, t target, d time.Duration) (float64, error) {
	// Lua long strings [[...]] take the JSON as it is.
	script := fmt.Sprintf(`wrk.method = %q
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = %q
local path, body = [[%s]], [[%s]]
request = function()
  local id = math.random(1, %d)
  local b = nil
  if body ~= "" then b = (body:gsub("%%%%d", id)) end
  return wrk.format(nil, (path:gsub("%%%%d", id)), nil, b)
end
`, t.method, benchKey, t.path, t.body, seedRows)
	return benchrun.Wrk(c.threads, c.conns, d, script, base)
}

// loadMain is the Go load generator process: conns keep-alive clients send
// requests of one shape for a duration; prints req/s, fails on any non-2xx.
func loadMain(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	url := fs.String("url", "", "base URL")
	method := fs.String("method", "GET", "")
	path := fs.String("path", "/", "path, %d becomes a random id")
	body := fs.String("body", "", "body, %d becomes a random id")
	conns := fs.Int("c", 8, "connections")
	d := fs.Duration("d", 3*time.Second, "duration")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns}
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithTimeout(context.Background(), *d)
	defer cancel()
	var ok, bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *conns {
		wg.Go(func() {
			sink := bufio.NewReaderSize(nil, 4096)
			for ctx.Err() == nil {
				id := rand.IntN(seedRows) + 1
				var rd io.Reader
				if *body != "" {
					rd = strings.NewReader(benchrun.WithID(*body, id))
				}
				req, _ := http.NewRequestWithContext(ctx, *method, *url+benchrun.WithID(*path, id), rd)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-API-Key", benchKey)
				resp, err := client.Do(req)
				if err != nil {
					if !errors.Is(err, context.DeadlineExceeded) {
						bad.Add(1)
					}
					return
				}
				sink.Reset(resp.Body)
				io.Copy(io.Discard, sink)
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := bad.Load(); n > 0 {
		return fmt.Errorf("%d failed requests", n)
	}
	fmt.Println(float64(ok.Load()) / time.Since(start).Seconds())
	return nil
}
