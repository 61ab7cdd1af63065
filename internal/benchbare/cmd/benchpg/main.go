// Command benchpg is `make bench-pg`: a point query over HTTP on a
// PostgreSQL-backed DB-Forge database against a bare pgx + net/http
// handler of the same shape (benchbare.PGServer). It starts a throwaway
// PostgreSQL cluster (or uses -dsn), `dbforge serve --postgres` on it and
// the bare handler (this program re-run as `benchpg bare`) as separate
// processes on free loopback ports, seeds the same table in a database of
// each, and drives both with wrk in a third process, alternating the
// contenders over several rounds. It prints every round, the medians and
// the ratio DB-Forge / bare.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dbforge/dbforge/internal/benchbare"
	"github.com/dbforge/dbforge/internal/benchbare/benchrun"
)

// benchKey is the admin key of the throwaway gateway (loopback, temp dir).
const benchKey = "bench-pg-admin-key-0123456789abcdef"

const seedRows = 10000

// bareDB is the database the bare handler works in, beside the gateway's.
const bareDB = "bench_bare"

// poolSize matches a gateway database's owner pool (postgres.Options
// MaxConns default), so both contenders have as many server connections.
const poolSize = 4

// setup runs on both contenders before any load: t is read, w written.
var setup = []string{
	"CREATE TABLE t (id int8 PRIMARY KEY, name text NOT NULL, email text, score float8, created timestamp)",
	"CREATE TABLE w (id bigserial PRIMARY KEY, v text)",
	`INSERT INTO t SELECT i, 'user ' || i, 'user' || i || '@example.com', i * 1.5, timestamp '2024-01-01 00:00:00'
	 FROM generate_series(1, ` + strconv.Itoa(seedRows) + `) AS i`,
	"ANALYZE t",
}

// target is one request shape; %d in the body becomes a random id.
type target struct{ path, body, want string }

type workload struct {
	name          string
	dbforge, bare target
}

// workloads: the API's ? on DB-Forge (mapped to $1 by the gateway), $1 on
// the bare handler.
var workloads = []workload{
	{"point SELECT by PK",
		target{"/api/db/bench/query", `{"sql":"SELECT * FROM t WHERE id = ?","params":[%d]}`, `"rows_affected":1`},
		target{"/query", `{"sql":"SELECT * FROM t WHERE id = $1","params":[%d]}`, `"rows_affected":1`}},
	{"single-row INSERT",
		target{"/api/db/bench/query", `{"sql":"INSERT INTO w (v) VALUES (?)","params":["value %d"]}`, `"rows_affected":1`},
		target{"/exec", `{"sql":"INSERT INTO w (v) VALUES ($1)","params":["value %d"]}`, `"rows_affected":1`}},
}

type config struct {
	dbforge, dsn     string
	rounds           int
	duration, warmup time.Duration
	conns, threads   int
	only             *regexp.Regexp
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		if err := bareMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "benchpg bare:", err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.StringVar(&c.dbforge, "dbforge", "./dbforge", "the dbforge binary")
	flag.StringVar(&c.dsn, "dsn", "", "admin DSN of an existing PostgreSQL server (default: a throwaway cluster)")
	flag.IntVar(&c.rounds, "rounds", 3, "measured rounds per contender and workload")
	flag.DurationVar(&c.duration, "duration", 3*time.Second, "length of one round")
	flag.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured run per contender before the rounds of a workload")
	flag.IntVar(&c.conns, "c", 8, "concurrent connections")
	flag.IntVar(&c.threads, "t", 1, "wrk threads")
	only := flag.String("run", "", "only the workloads whose name matches this regular expression")
	flag.Parse()
	var err error
	if c.only, err = regexp.Compile(*only); err != nil {
		fmt.Fprintln(os.Stderr, "bench-pg: -run:", err)
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench-pg:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk not found on PATH (apt-get install wrk)")
	}
	tmp, err := os.MkdirTemp("", "bench-pg-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if c.dsn == "" {
		cl, err := startCluster()
		if err != nil {
			return err
		}
		defer cl.stop()
		// ^C still stops the cluster
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
		go func() { <-sig; cl.stop(); os.Exit(1) }()
		c.dsn = cl.dsn("postgres")
	}
	bareDSN, err := createBareDB(c.dsn)
	if err != nil {
		return err
	}
	defer dropBareDB(c.dsn)
	dbf, err := startDBForge(c.dbforge, c.dsn, tmp)
	if err != nil {
		return err
	}
	defer dbf.stop()
	// on a server of -dsn, leave nothing behind: delete drops the
	// gateway's PostgreSQL database and its roles
	defer do("DELETE", dbf.url+"/admin/databases/bench?force=true", "")
	bare, err := startBare(bareDSN)
	if err != nil {
		return err
	}
	defer bare.stop()
	if err := benchrun.Seed(benchKey, dbf.url, bare.url, setup); err != nil {
		return err
	}

	fmt.Printf("PostgreSQL point queries: wrk -t%d -c%d, %d rounds of %s per contender (alternating), warm-up %s, pools of %d server connections\n",
		c.threads, c.conns, c.rounds, c.duration, c.warmup, poolSize)
	fmt.Printf("%-24s %10s %10s %7s   rounds (dbforge | bare)\n", "workload", "dbforge", "bare", "ratio")
	for _, w := range workloads {
		if !c.only.MatchString(w.name) {
			continue
		}
		for _, p := range []struct {
			url string
			t   target
		}{{dbf.url, w.dbforge}, {bare.url, w.bare}} {
			if err := check(p.url, p.t); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			if _, err := loadWrk(c, p.url, p.t, c.warmup); err != nil {
				return fmt.Errorf("%s warm-up: %w", w.name, err)
			}
		}
		var dr, br []float64
		for i := range c.rounds {
			order := []bool{true, false} // true: dbforge
			if i%2 == 1 {
				order = []bool{false, true}
			}
			for _, isDBF := range order {
				url, t := bare.url, w.bare
				if isDBF {
					url, t = dbf.url, w.dbforge
				}
				rps, err := loadWrk(c, url, t, c.duration)
				if err != nil {
					return fmt.Errorf("%s: %w", w.name, err)
				}
				if isDBF {
					dr = append(dr, rps)
				} else {
					br = append(br, rps)
				}
			}
		}
		dm, bm := benchrun.Median(dr), benchrun.Median(br)
		fmt.Printf("%-24s %10.0f %10.0f %7.2f   %s | %s\n", w.name, dm, bm, dm/bm, benchrun.List(dr), benchrun.List(br))
	}
	return nil
}

// createBareDB creates the bare handler's database on the server and
// returns a DSN for it (the admin's role: the bare handler has no roles).
func createBareDB(adminDSN string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return "", fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+bareDB)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+bareDB); err != nil {
		return "", err
	}
	cfg := conn.Config()
	cfg.Database = bareDB
	return fmt.Sprintf("postgres://%s:%s@%s/%s?sslmode=disable", cfg.User, cfg.Password,
		net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), bareDB), nil
}

func dropBareDB(adminDSN string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, adminDSN); err == nil {
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+bareDB+" WITH (FORCE)")
		conn.Close(ctx)
	}
}

// bareMain is the bare contender's process.
func bareMain(args []string) error {
	fs := flag.NewFlagSet("bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	dsn := fs.String("dsn", "", "database to serve (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		return fmt.Errorf("-dsn is required")
	}
	srv, err := benchbare.NewPGServer(context.Background(), *dsn, poolSize)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, srv.Handler())
}

// process is one started contender.
type process struct {
	cmd *exec.Cmd
	url string
}

func (p *process) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

func startDBForge(bin, dsn, tmp string) (*process, error) {
	cmd, url, err := benchrun.StartDBForge(bin, tmp, benchKey, []string{"--postgres", dsn}, `{"backend":"postgres"}`, 30*time.Second,
		func(cmd *exec.Cmd) { (&process{cmd: cmd}).stop() })
	if err != nil {
		return nil, err
	}
	return &process{cmd: cmd, url: url}, nil
}

func startBare(dsn string) (*process, error) {
	addr, err := benchrun.FreeAddr()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "bare", "-addr", addr, "-dsn", dsn)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, url: "http://" + addr}
	if err := benchrun.WaitReady(p.url+"/", 30*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("bare handler: %w", err)
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
	a, err := do("POST", base+t.path, benchrun.WithID(t.body, 42))
	if err != nil {
		return err
	}
	if a.Status != http.StatusOK || !strings.Contains(a.Body, t.want) {
		return fmt.Errorf("POST %s: %d %s", t.path, a.Status, a.Body)
	}
	return nil
}

// loadWrk runs wrk against base for d and returns req/s; any error answer
// or socket error fails the run.
func loadWrk(c config, base string, t target, d time.Duration) (float64, error) {
	// Lua long strings [[...]] take the JSON as it is.
	script := fmt.Sprintf(`wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = %q
local path, body = [[%s]], [[%s]]
request = function()
  local id = math.random(1, %d)
  return wrk.format(nil, path, nil, (body:gsub("%%%%d", id)))
end
`, benchKey, t.path, t.body, seedRows)
	return benchrun.Wrk(c.threads, c.conns, d, script, base)
}
