// Package pgtest starts throwaway PostgreSQL clusters for tests: initdb into
// a temporary directory, a free loopback port, pg_ctl start, and stop plus
// removal at the end. Test support only: no product code imports it.
//
// When PostgreSQL is not installed or cannot start, tests that need it skip
// with a loud message, unless DBFORGE_REQUIRE_POSTGRES=1 (set by .ci/run),
// where they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the variable that turns a missing PostgreSQL from a
// skip into a failure.
const RequireEnv = "DBFORGE_REQUIRE_POSTGRES"

// Superuser is the cluster's superuser role.
const Superuser = "postgres"

// startTimeout bounds pg_ctl start and stop on a loaded machine.
const startTimeout = 120 * time.Second

// Cluster is one running throwaway PostgreSQL cluster.
type Cluster struct {
	dir      string // temporary directory: data/, sock/, log
	binDir   string // where initdb, pg_ctl, psql, pg_dump live
	port     int
	password string
	cred     *syscall.Credential // the unprivileged user when run as root
	watchdog *exec.Cmd
	err      error    // why the cluster did not start (Main only)
	settings []string // server settings past the defaults, "name=value"
}

// Start starts a cluster for one test and stops it when the test ends.
// It skips or fails the test (see the package comment) when PostgreSQL is
// unavailable. Each setting ("max_connections=20") is passed to the server
// after the defaults, which it overrides.
func Start(t testing.TB, settings ...string) *Cluster {
	t.Helper()
	c, err := start(settings...)
	if err != nil {
		unavailable(t, err)
		return nil
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	return c
}

// Main runs a test binary's tests with one cluster shared by all of them:
// call it from TestMain as os.Exit(pgtest.Main(m, &cluster)). *c is set
// before the tests run; each test that uses it calls c.Need(t) first. The
// cluster is stopped after the tests, and on SIGINT/SIGTERM; a watchdog
// stops it and removes its directory if the test binary dies any other way
// (a panic, SIGKILL, go test's timeout).
func Main(m *testing.M, c **Cluster) int {
	cl, err := start()
	if err != nil {
		cl = &Cluster{err: err}
		if os.Getenv(RequireEnv) == "1" {
			fmt.Fprintf(os.Stderr, "FAIL: PostgreSQL is required (%s=1) but did not start: %v\n", RequireEnv, err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "\n*** PostgreSQL tests will SKIP: %v ***\n\n", err)
		*c = cl
		return m.Run()
	}
	*c = cl
	stopSignals := stopOnSignal(cl)
	code := m.Run()
	stopSignals()
	return stopAfter(cl, code)
}

// Lazy is a cluster shared by a test binary's tests like Main's, but
// started by the first test that asks for it, for packages where most
// tests do not need PostgreSQL. In TestMain: os.Exit(lazy.Main(m)); in a
// test: lazy.Cluster(t).AdminDSN().
type Lazy struct {
	once        sync.Once
	c           *Cluster
	err         error
	stopSignals func()
}

// Main runs the tests and stops the cluster if one was started.
func (l *Lazy) Main(m *testing.M) int {
	code := m.Run()
	if l.c == nil {
		return code
	}
	l.stopSignals()
	return stopAfter(l.c, code)
}

// Cluster starts the cluster on the first call and returns it; it skips or
// fails t (see the package comment) when PostgreSQL is unavailable.
func (l *Lazy) Cluster(t testing.TB) *Cluster {
	t.Helper()
	l.once.Do(func() {
		if l.c, l.err = start(); l.err == nil {
			l.stopSignals = stopOnSignal(l.c)
		}
	})
	if l.err != nil {
		unavailable(t, l.err)
		return nil
	}
	return l.c
}

// stopOnSignal stops cl and exits on SIGINT/SIGTERM until the returned
// function is called.
func stopOnSignal(cl *Cluster) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			cl.Stop()
			os.Exit(1)
		case <-done:
		}
	}()
	return func() {
		close(done)
		signal.Stop(sig)
	}
}

// stopAfter stops cl after the tests ran; a failed stop fails the run.
func stopAfter(cl *Cluster, code int) int {
	if err := cl.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "stopping PostgreSQL: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Need skips or fails t when the shared cluster of Main did not start.
func (c *Cluster) Need(t testing.TB) {
	t.Helper()
	switch {
	case c == nil:
		unavailable(t, errors.New("no cluster: TestMain does not call pgtest.Main"))
	case c.err != nil:
		unavailable(t, c.err)
	}
}

// unavailable is the skip-or-fail policy.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("PostgreSQL is required (%s=1) but unavailable: %v", RequireEnv, err)
	}
	t.Skipf("*** SKIPPED: PostgreSQL unavailable (%v); install postgresql or run .ci/run ***", err)
}

// AdminDSN connects as the superuser over TCP on 127.0.0.1 (password
// authentication).
func (c *Cluster) AdminDSN() string {
	return c.DSN(Superuser, c.password, "postgres")
}

// DSN connects as role with password to database db.
func (c *Cluster) DSN(role, password, db string) string {
	u := fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", role, c.port, db)
	if password != "" {
		u = fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", role, password, c.port, db)
	}
	return u
}

// AdminQuery runs one query as the superuser and returns the first
// column of its first row as text; any failure fails the test.
func (c *Cluster) AdminQuery(t testing.TB, sql string, args ...any) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// Dir is the cluster's temporary directory (removed by Stop).
func (c *Cluster) Dir() string { return c.dir }

// Bin is the path of a PostgreSQL program of the cluster's version
// (psql, pg_dump, …).
func (c *Cluster) Bin(name string) string { return filepath.Join(c.binDir, name) }

// PID is the postmaster's process id.
func (c *Cluster) PID() (int, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}

// Stop stops the server (pg_ctl stop -m fast) and removes its directory.
// A second call does nothing.
func (c *Cluster) Stop() error {
	if c == nil || c.dir == "" {
		return nil
	}
	if c.watchdog != nil {
		c.watchdog.Process.Kill()
		c.watchdog.Wait()
		c.watchdog = nil
	}
	_, err := c.run(c.Bin("pg_ctl"), "stop", "-D", c.data(), "-m", "fast", "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)))
	if rmErr := os.RemoveAll(c.dir); err == nil {
		err = rmErr
	}
	c.dir = ""
	return err
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// start creates and starts a cluster; on error nothing is left behind.
func start(settings ...string) (*Cluster, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{binDir: binDir, settings: settings}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root
		if c.cred, err = credential(Superuser); err != nil {
			return nil, fmt.Errorf("running as root and no unprivileged %q user: %w", Superuser, err)
		}
	}
	// not t.TempDir: its parents are 0700 root, which the server's user
	// cannot traverse
	if c.dir, err = os.MkdirTemp("", "dbforge-pg-"); err != nil {
		return nil, err
	}
	if err := c.initdb(); err != nil {
		os.RemoveAll(c.dir)
		return nil, err
	}
	// a port found free may be taken before the server binds it: retry
	for attempt := 0; ; attempt++ {
		if err = c.startServer(); err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(c.dir)
		return nil, err
	}
	c.startWatchdog()
	return c, nil
}

// findBinDir finds initdb: the newest /usr/lib/postgresql/*/bin (Debian
// keeps it off PATH), else PATH.
func findBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	if len(dirs) > 0 {
		return filepath.Dir(dirs[0]), nil
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("initdb not found under /usr/lib/postgresql/*/bin nor in PATH (apt-get install postgresql)")
	}
	return filepath.Dir(p), nil
}

// version is the NN of /usr/lib/postgresql/NN/bin/initdb.
func version(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

func credential(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) initdb() error {
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
	}
	c.password = randomHex(16)
	pwfile := filepath.Join(c.dir, "pwfile")
	if err := c.writeOwned(pwfile, c.password+"\n"); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if err := c.mkdirOwned(filepath.Join(c.dir, "sock")); err != nil {
		return err
	}
	// password authentication over TCP, so a role's password matters in
	// isolation tests; the socket (inside the directory) trusts
	out, err := c.run(c.Bin("initdb"), "-D", c.data(), "-U", Superuser, "--pwfile", pwfile,
		"--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if err != nil {
		return fmt.Errorf("initdb: %v: %s", err, lastLines(out, 5))
	}
	return nil
}

func (c *Cluster) startServer() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	args := []string{
		"-c listen_addresses=127.0.0.1",
		"-c port=" + strconv.Itoa(port),
		"-c unix_socket_directories=" + filepath.Join(c.dir, "sock"),
		"-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
		"-c shared_buffers=16MB", "-c max_connections=100",
	}
	for _, s := range c.settings {
		args = append(args, "-c "+s)
	}
	opts := strings.Join(args, " ")
	logFile := filepath.Join(c.dir, "log")
	out, err := c.run(c.Bin("pg_ctl"), "start", "-D", c.data(), "-l", logFile, "-o", opts,
		"-w", "-t", strconv.Itoa(int(startTimeout/time.Second)))
	if err != nil {
		log, _ := os.ReadFile(logFile)
		c.run(c.Bin("pg_ctl"), "stop", "-D", c.data(), "-m", "immediate")
		return fmt.Errorf("pg_ctl start: %v: %s %s", err, lastLines(out, 3), lastLines(log, 5))
	}
	return nil
}

// startWatchdog starts a process, outside the test binary's process group
// (so ^C reaches only the binary, whose handler stops the cluster), that
// stops the server and removes the directory once the binary has died.
// It runs as the server's user; /proc tells it the binary is alive where
// kill -0 may not signal a root process.
func (c *Cluster) startWatchdog() {
	const script = `trap '' INT TERM HUP
while kill -0 "$1" 2>/dev/null || [ -d "/proc/$1" ]; do sleep 1; done
"$2" stop -D "$3" -m immediate >/dev/null 2>&1
rm -rf "$4"`
	cmd := exec.Command("/bin/sh", "-c", script, "watchdog", strconv.Itoa(os.Getpid()), c.Bin("pg_ctl"), c.data(), c.dir)
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	if cmd.Start() == nil {
		c.watchdog = cmd
	}
}

// run runs a PostgreSQL program, as the unprivileged user when we are
// root (the process credentials set directly, which is what runuser or
// setpriv would do, without needing either), in the cluster's directory.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(prog, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

func (c *Cluster) writeOwned(path, content string) error {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return err
	}
	if c.cred != nil {
		return os.Chown(path, int(c.cred.Uid), int(c.cred.Gid))
	}
	return nil
}

func (c *Cluster) mkdirOwned(path string) error {
	if err := os.Mkdir(path, 0o700); err != nil {
		return err
	}
	if c.cred != nil {
		return os.Chown(path, int(c.cred.Uid), int(c.cred.Gid))
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
