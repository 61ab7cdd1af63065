// Package benchrun holds what the benchmark programs under
// internal/benchbare/cmd share, so each rule of a fair run is written once:
// free loopback ports, waiting for a contender to listen, JSON requests
// with the gateway's admin key, seeding both contenders the same way, wrk
// runs that fail on any error answer, and the round statistics.
package benchrun

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FreeAddr picks a free loopback port.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// WaitReady polls url until it answers anything at all, for at most within.
func WaitReady(url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %d s: %w", int(within.Seconds()), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Answer is a reply's status and body.
type Answer struct {
	Status int
	Body   string
}

// Do sends one JSON request with key as X-API-Key (the bare contenders
// ignore it) and reads the whole answer.
func Do(key, method, url, body string) (Answer, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return Answer{resp.StatusCode, string(b)}, err
}

// Seed runs each statement of setup on both contenders, DB-Forge's
// database "bench" and the bare handler's /exec, so they hold the same
// tables.
func Seed(key, dbforgeURL, bareURL string, setup []string) error {
	for _, s := range setup {
		body := `{"sql":` + strconv.Quote(s) + `}`
		for _, url := range []string{dbforgeURL + "/api/db/bench/query", bareURL + "/exec"} {
			a, err := Do(key, "POST", url, body)
			if err != nil {
				return err
			}
			if a.Status != http.StatusOK {
				return fmt.Errorf("seed %s: %d %s", url, a.Status, a.Body)
			}
		}
	}
	return nil
}

// WithID puts id where s says %d.
func WithID(s string, id int) string {
	return strings.ReplaceAll(s, "%d", strconv.Itoa(id))
}

var (
	wrkRPS    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkBad    = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkErrors = regexp.MustCompile(`Socket errors: .*`)
)

// Wrk runs wrk with the Lua request script against base for d and returns
// req/s; any error answer or socket error fails the run.
func Wrk(threads, conns int, d time.Duration, script, base string) (float64, error) {
	f, err := os.CreateTemp("", "bench-wrk-*.lua")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return 0, err
	}
	f.Close()
	out, err := exec.Command("wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%ds", max(1, int(d.Seconds()))), "-s", f.Name(), base).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	if m := wrkBad.FindSubmatch(out); m != nil {
		return 0, fmt.Errorf("wrk: %s error answers\n%s", m[1], out)
	}
	if m := wrkErrors.Find(out); m != nil {
		return 0, fmt.Errorf("wrk: %s", m)
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk: no Requests/sec in\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// Median is the median of v (0 for none).
func Median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// List is v's rounds as whole numbers, space-separated.
func List(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strings.Join(parts, " ")
}

// StartDBForge starts `bin serve` on a free loopback port (data dir and
// config under tmp, the request log in tmp/dbforge.log as in production,
// key as its admin key, then the extra flags), waits up to within for
// /health and spawns database "bench" with spawnBody. stop ends the
// process when a step after its start fails.
func StartDBForge(bin, tmp, key string, extra []string, spawnBody string, within time.Duration,
	stop func(*exec.Cmd)) (cmd *exec.Cmd, url string, err error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, "", err
	}
	logf, err := os.Create(filepath.Join(tmp, "dbforge.log"))
	if err != nil {
		return nil, "", err
	}
	defer logf.Close()
	args := append([]string{"serve", "--addr", addr, "--data", filepath.Join(tmp, "dbforge"), "--api-key", key}, extra...)
	cmd = exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	url = "http://" + addr
	if err := WaitReady(url+"/health", within); err != nil {
		stop(cmd)
		log, _ := os.ReadFile(logf.Name())
		return nil, "", fmt.Errorf("dbforge serve: %w\n%s", err, log)
	}
	a, err := Do(key, "POST", url+"/admin/databases/spawn/bench", spawnBody)
	if err != nil || a.Status != http.StatusCreated {
		stop(cmd)
		return nil, "", fmt.Errorf("spawn: %v %+v", err, a)
	}
	return cmd, url, nil
}
