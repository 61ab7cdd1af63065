package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
)

// cluster is a throwaway PostgreSQL server in a temporary directory, set
// up as internal/pgtest does for the tests: initdb (as the postgres user
// when we are root), password authentication on 127.0.0.1, a free port,
// no fsync (both contenders share it, so neither gains).
type cluster struct {
	dir, bin string
	port     int
	password string
	cred     *syscall.Credential
}

func startCluster() (*cluster, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		return nil, fmt.Errorf("initdb not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
	}
	// the newest: /usr/lib/postgresql/NN/bin/initdb by NN
	version := func(p string) int { n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p)))); return n }
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	c := &cluster{bin: filepath.Dir(dirs[len(dirs)-1]), password: randomHex(16)}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and no postgres user for initdb: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	var err error
	if c.dir, err = os.MkdirTemp("", "bench-pg-"); err != nil {
		return nil, err
	}
	if err := c.init(); err != nil {
		os.RemoveAll(c.dir)
		return nil, err
	}
	return c, nil
}

func (c *cluster) init() error {
	pw := filepath.Join(c.dir, "pw")
	if err := os.WriteFile(pw, []byte(c.password+"\n"), 0o600); err != nil {
		return err
	}
	if c.cred != nil {
		for _, p := range []string{c.dir, pw} {
			if err := os.Chown(p, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
				return err
			}
		}
	}
	if out, err := c.run("initdb", "-D", c.data(), "-U", "postgres", "--pwfile", pw, "--auth-host=scram-sha-256",
		"--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off -c max_connections=100", c.port, c.dir)
	if out, err := c.run("pg_ctl", "start", "-D", c.data(), "-l", filepath.Join(c.dir, "log"), "-o", opts, "-w", "-t", "120"); err != nil {
		return fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return nil
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// dsn connects as the superuser to database db.
func (c *cluster) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/%s?sslmode=disable", c.password, c.port, db)
}

// stop stops the server and removes its directory.
func (c *cluster) stop() {
	c.run("pg_ctl", "stop", "-D", c.data(), "-m", "fast", "-w")
	os.RemoveAll(c.dir)
}

func (c *cluster) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
