package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// envExecNoFile makes the test binary a launcher: it sets RLIMIT_NOFILE
// (soft and hard) to the value and execs its arguments, so the server runs
// under that limit from its first instruction.
const envExecNoFile = "DBFORGE_E2E_EXEC_NOFILE"

func TestMain(m *testing.M) {
	if lim := os.Getenv(envExecNoFile); lim != "" {
		n, err := strconv.ParseUint(lim, 10, 64)
		if err == nil {
			err = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: n, Max: n})
		}
		if err == nil {
			err = syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
		}
		fmt.Fprintln(os.Stderr, "launcher:", err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// scaleSize is the acceptance run's size: in CI 1,024 descriptors and
// 2,000 databases (writes to 400); DBFORGE_SCALE=full runs 10,000
// databases under 20,000 descriptors (writes to 2,000).
func scaleSize() (nofile, dbs, writes int) {
	if os.Getenv("DBFORGE_SCALE") == "full" {
		return 20000, 10000, 2000
	}
	return 1024, 2000, 400
}

// startLimited starts `dbforge serve` under an open-file limit.
func startLimited(t *testing.T, bin, dataDir string, nofile int, args ...string) (*server, time.Duration) {
	t.Helper()
	addr := testserve.FreeAddr(t)
	s := newServer(t, addr)
	s.key = crashKey
	s.cmd = exec.Command(os.Args[0], append([]string{bin, "serve", "--addr", addr, "--data", dataDir, "--api-key", crashKey, "--log-requests", "errors"}, args...)...)
	s.cmd.Env = append(os.Environ(), "DBFORGE_API_KEY=", fmt.Sprintf("%s=%d", envExecNoFile, nofile))
	start := time.Now()
	s.launch(30*time.Second, "")
	return s, time.Since(start)
}

// procFacts reads a process's open descriptors and resident memory.
func procFacts(t *testing.T, pid int) (fds int, rssKiB int) {
	t.Helper()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Skip("no /proc:", err)
	}
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			rssKiB, _ = strconv.Atoi(f[1])
		}
	}
	return len(ents), rssKiB
}

// scaleCall sends one call and returns its status, code and Retry-After.
func scaleCall(hc *http.Client, base, method, path string, body any) (status int, code, retryAfter string, raw []byte) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("X-API-Key", crashKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err.Error(), "", nil
	}
	defer resp.Body.Close()
	raw, _ = io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(raw, &e)
	return resp.StatusCode, e.Error.Code, resp.Header.Get("Retry-After"), raw
}

// parallel runs fn(i) for i in [0, n) on eight workers.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// TestManyDatabasesUnderAFileLimit is the acceptance test of many
// databases per node: under a 1,024-descriptor limit (20,000 with
// DBFORGE_SCALE=full) the real server spawns 2,000 databases (10,000),
// writes to 400 of them (2,000), restarts ready at once, and every
// database answers with its data; descriptors stay under the limit and
// the list stays fast. Then, with the open bound lifted past what the
// descriptors allow, running out of them answers 503 SERVER_BUSY with
// Retry-After, never a 400 or a 500, and the server keeps serving.
func TestManyDatabasesUnderAFileLimit(t *testing.T) {
	nofile, dbs, writes := scaleSize()
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	name := func(i int) string { return fmt.Sprintf("tenant-%05d", i) }
	// every answer must be a 2xx, or a 503 SERVER_BUSY to be retried
	var busy atomic.Int64
	call := func(s *server, method, path string, body any) []byte {
		for try := 0; ; try++ {
			status, code, retry, raw := scaleCall(hc, s.url, method, path, body)
			if status >= 200 && status < 300 {
				return raw
			}
			if status != 503 || code != "SERVER_BUSY" || retry == "" || try == 100 {
				t.Errorf("%s %s: %d %s %s", method, path, status, code, raw)
				return nil
			}
			busy.Add(1)
			time.Sleep(10 * time.Millisecond)
		}
	}

	s, _ := startLimited(t, bin, data, nofile)
	start := time.Now()
	parallel(dbs, func(i int) { call(s, "POST", "/admin/databases/spawn/"+name(i), nil) })
	spawnTime := time.Since(start)
	start = time.Now()
	parallel(writes, func(i int) {
		db := name(i * (dbs / writes))
		call(s, "POST", "/api/db/"+db+"/query", map[string]any{"sql": "CREATE TABLE t(v)"})
		call(s, "POST", "/api/db/"+db+"/query", map[string]any{"sql": "INSERT INTO t VALUES (?)", "params": []any{i}})
	})
	writeTime := time.Since(start)
	fds, rss := procFacts(t, s.cmd.Process.Pid)
	if t.Failed() {
		t.FailNow()
	}
	if fds >= nofile {
		t.Fatalf("%d descriptors open under a limit of %d", fds, nofile)
	}
	s.stop()

	s, ready := startLimited(t, bin, data, nofile)
	if ready > 10*time.Second {
		t.Fatalf("restart over %d running databases took %v", dbs, ready)
	}
	start = time.Now()
	raw := call(s, "GET", "/admin/databases", nil)
	listTime := time.Since(start)
	var list []map[string]any
	if err := json.Unmarshal(raw, &list); err != nil || len(list) != dbs {
		t.Fatalf("list after restart: %d entries, want %d (%v)", len(list), dbs, err)
	}
	start = time.Now()
	raw = call(s, "GET", "/admin/databases?prefix=tenant-0001&limit=5", nil)
	pageTime := time.Since(start)
	if err := json.Unmarshal(raw, &list); err != nil || len(list) != 5 || list[0]["name"] != "tenant-00010" {
		t.Fatalf("a page after restart: %s", raw)
	}
	start = time.Now()
	parallel(dbs, func(i int) {
		sql := "SELECT 1 AS v"
		want := "1"
		if i%(dbs/writes) == 0 && i/(dbs/writes) < writes {
			sql, want = "SELECT v FROM t", strconv.Itoa(i/(dbs/writes))
		}
		raw := call(s, "POST", "/api/db/"+name(i)+"/query", map[string]any{"sql": sql})
		var res struct{ Data []map[string]any }
		if json.Unmarshal(raw, &res); len(res.Data) != 1 || fmt.Sprint(res.Data[0]["v"]) != want {
			t.Errorf("%s after restart: %s, want v=%s", name(i), raw, want)
		}
	})
	readTime := time.Since(start)
	fdsAfter, rssAfter := procFacts(t, s.cmd.Process.Pid)
	if fdsAfter >= nofile {
		t.Fatalf("%d descriptors open under a limit of %d", fdsAfter, nofile)
	}
	t.Logf("%d databases under ulimit -n %d: spawn %v, %d written in %v; %d fds, RSS %d MiB; restart ready in %v; list %v, page %v; all read in %v; %d fds, RSS %d MiB; %d busy answers retried",
		dbs, nofile, spawnTime.Round(time.Millisecond), writes, writeTime.Round(time.Millisecond), fds, rss/1024,
		ready.Round(time.Millisecond), listTime.Round(time.Millisecond), pageTime.Round(time.Millisecond),
		readTime.Round(time.Millisecond), fdsAfter, rssAfter/1024, busy.Load())
	s.stop()

	// The open bound lifted past the descriptors: opens run out of them.
	s, _ = startLimited(t, bin, data, nofile, "--max-open-databases", "1000000")
	call(s, "POST", "/api/db/"+name(0)+"/query", map[string]any{"sql": "SELECT 1"})
	var ok, refused atomic.Int64
	parallel(min(dbs, nofile), func(i int) {
		status, code, retry, raw := scaleCall(hc, s.url, "POST", "/api/db/"+name(i)+"/query", map[string]any{"sql": "SELECT 1"})
		switch {
		case status == 200:
			ok.Add(1)
		case status == 503 && code == "SERVER_BUSY" && retry == "1":
			refused.Add(1)
		case status == 0:
			// a connection refused at accept is the kernel's answer, not ours
		default:
			t.Errorf("%s out of descriptors: %d %s %s", name(i), status, code, raw)
		}
	})
	if refused.Load() == 0 {
		t.Fatalf("no call ran out of descriptors (%d answered): the test tested nothing", ok.Load())
	}
	if status, _, _, raw := scaleCall(hc, s.url, "POST", "/api/db/"+name(0)+"/query", map[string]any{"sql": "SELECT 1"}); status != 200 {
		t.Fatalf("an open database after the descriptors ran out: %d %s", status, raw)
	}
	if strings.Contains(s.stderr.String(), "panic") {
		t.Fatalf("a panic was logged:\n%s", s.stderr)
	}
	t.Logf("out of descriptors: %d answered, %d refused with 503", ok.Load(), refused.Load())
}
