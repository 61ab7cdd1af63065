package postgres

// A throwaway PostgreSQL cluster for this package's tests: initdb into a
// temp dir as the unprivileged postgres user, a free port, password
// authentication over TCP, stopped at the end.

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

const pgBin = "/usr/lib/postgresql/15/bin"

// cluster is the running test server; dsn is "" when none could start.
type cluster struct {
	dsn    string
	reason string // why no server runs
}

var testCluster cluster

func TestMain(m *testing.M) {
	stop := startCluster(&testCluster)
	code := m.Run()
	stop()
	os.Exit(code)
}

// needPG skips (or, with DBFORGE_REQUIRE_POSTGRES=1, fails) a test when no
// server runs, and returns the admin DSN.
func needPG(t *testing.T) string {
	t.Helper()
	if testCluster.dsn == "" {
		if os.Getenv("DBFORGE_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL required (DBFORGE_REQUIRE_POSTGRES=1) but not available: %s", testCluster.reason)
		}
		t.Skip("PostgreSQL not available: " + testCluster.reason)
	}
	return testCluster.dsn
}

func startCluster(c *cluster) (stop func()) {
	noop := func() {}
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		c.reason = "initdb not found in " + pgBin
		return noop
	}
	dir, err := os.MkdirTemp("", "dbforge-pg-*")
	if err != nil {
		c.reason = err.Error()
		return noop
	}
	cleanup := func() { os.RemoveAll(dir) }
	var run func(name string, args ...string) *exec.Cmd
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			c.reason = "running as root and no postgres user to run initdb as"
			cleanup()
			return noop
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
		run = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pgBin, name)}, args...)...)
		}
	} else {
		run = func(name string, args ...string) *exec.Cmd { return exec.Command(filepath.Join(pgBin, name), args...) }
	}
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pw")
	const password = "admin-secret"
	os.WriteFile(pwfile, []byte(password+"\n"), 0o644)
	if os.Geteuid() == 0 {
		u, _ := user.Lookup("postgres")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(pwfile, uid, gid)
	}
	if out, err := run("initdb", "-D", data, "-U", "dbforge_admin", "--pwfile", pwfile,
		"--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		c.reason = fmt.Sprintf("initdb: %v: %s", err, out)
		cleanup()
		return noop
	}
	port, err := freePort()
	if err != nil {
		c.reason = err.Error()
		cleanup()
		return noop
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		c.reason = fmt.Sprintf("pg_ctl start: %v: %s %s", err, out, log)
		cleanup()
		return noop
	}
	c.dsn = fmt.Sprintf("postgres://dbforge_admin:%s@127.0.0.1:%d/postgres?sslmode=disable", password, port)
	return func() {
		run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		cleanup()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
