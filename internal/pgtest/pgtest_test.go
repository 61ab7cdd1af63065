package pgtest

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var shared *Cluster

func TestMain(m *testing.M) {
	if os.Getenv("PGTEST_CHILD") != "" {
		os.Exit(m.Run()) // the child of TestWatchdogCleansUpAfterACrash
	}
	os.Exit(Main(m, &shared))
}

// alive reports whether pid is a live process (not gone, not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// goneSoon waits a little for a process that is exiting.
func goneSoon(pid int) bool {
	for range 50 {
		if !alive(pid) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// The cluster of Main is up, tuned, reachable as the superuser with its
// password and only with it.
func TestSharedCluster(t *testing.T) {
	shared.Need(t)
	if got := shared.AdminQuery(t, "SELECT current_setting('fsync') || ' ' || current_setting('max_connections') || ' ' || current_setting('shared_buffers') || ' ' || current_user"); got != "off 100 16MB postgres" {
		t.Fatalf("settings: %q", got)
	}
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, shared.DSN(Superuser, "wrong", "postgres")); err == nil {
		conn.Close(ctx)
		t.Fatal("a wrong password was accepted over TCP")
	}
	if _, err := os.Stat(shared.Bin("psql")); err != nil {
		t.Fatalf("psql beside initdb: %v", err)
	}
}

// Start gives a test its own cluster; Stop leaves no server process and
// no directory behind.
func TestStartConnectStop(t *testing.T) {
	c := Start(t)
	if got := c.AdminQuery(t, "SELECT 'ok'"); got != "ok" {
		t.Fatalf("query: %q", got)
	}
	pid, err := c.PID()
	if err != nil || !alive(pid) {
		t.Fatalf("postmaster pid %d: %v", pid, err)
	}
	dir := c.Dir()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if !goneSoon(pid) {
		t.Errorf("postmaster %d still running after Stop", pid)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory %s left behind: %v", dir, err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// A test binary that panics never reaches Stop: the watchdog stops the
// server and removes the directory.
func TestWatchdogCleansUpAfterACrash(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") != "" {
		c := Start(t)
		pid, _ := c.PID()
		os.Stdout.WriteString("CLUSTER " + strconv.Itoa(pid) + " " + c.Dir() + "\n")
		panic("crash with the cluster running")
	}
	shared.Need(t) // PostgreSQL is there
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdogCleansUpAfterACrash$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PGTEST_CHILD=1")
	out, _ := cmd.Output()
	var pid int
	var dir string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "CLUSTER" {
			pid, _ = strconv.Atoi(f[1])
			dir = f[2]
		}
	}
	if pid == 0 || dir == "" {
		t.Fatalf("child did not start a cluster: %s", out)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		_, statErr := os.Stat(dir)
		if !alive(pid) && errors.Is(statErr, os.ErrNotExist) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("after the crash: postmaster %d alive=%v, directory %s still there", pid, alive(pid), dir)
}

// The skip-or-fail policy: without the variable a missing PostgreSQL
// skips, with it the test fails.
func TestUnavailablePolicy(t *testing.T) {
	for _, require := range []string{"", "1"} {
		t.Run("require="+require, func(t *testing.T) {
			t.Setenv(RequireEnv, require)
			ft := &fakeTB{TB: t}
			done := make(chan struct{})
			go func() { // Skip and Fatal end the goroutine
				defer close(done)
				(&Cluster{err: errors.New("initdb not found")}).Need(ft)
			}()
			<-done
			if require == "1" && (!ft.failed || ft.skipped) {
				t.Errorf("required: failed=%v skipped=%v", ft.failed, ft.skipped)
			}
			if require == "" && (ft.failed || !ft.skipped || !strings.Contains(ft.msg, "SKIPPED")) {
				t.Errorf("not required: failed=%v skipped=%v %q", ft.failed, ft.skipped, ft.msg)
			}
		})
	}
}

// fakeTB records Skip and Fatal instead of ending the real test.
type fakeTB struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = true
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = true
	f.msg = format
	runtime.Goexit()
}

// Lazy starts nothing until asked, then one cluster for every caller; the
// end of its Main stops it and removes its directory.
func TestLazyStartsOnFirstUseOnly(t *testing.T) {
	var l Lazy
	if l.c != nil {
		t.Fatal("a cluster before the first use")
	}
	c := l.Cluster(t)
	if l.Cluster(t) != c {
		t.Fatal("a second cluster for the second caller")
	}
	if got := c.AdminQuery(t, "SELECT 'ok'"); got != "ok" {
		t.Fatalf("query: %q", got)
	}
	pid, err := c.PID()
	if err != nil {
		t.Fatal(err)
	}
	dir := c.Dir()
	l.stopSignals()
	if code := stopAfter(c, 0); code != 0 {
		t.Fatalf("stopAfter = %d", code)
	}
	if !goneSoon(pid) {
		t.Errorf("postmaster %d still running after the stop", pid)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory left behind: %v", err)
	}
}
