// Package e2e drives the real dbforge binary over real HTTP.
package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// server is one running `dbforge serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	key    string
	stdout *testserve.SyncBuffer
	stderr *testserve.SyncBuffer
	done   chan error
}

func startServer(t *testing.T, bin, dataDir string, args ...string) *server {
	t.Helper()
	addr := testserve.FreeAddr(t)
	s := newServer(t, addr)
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--data", dataDir}, args...)...)
	s.cmd.Env = append(os.Environ(), "DBFORGE_API_KEY=")
	s.launch(15*time.Second, "listening on http://"+addr)
	return s
}

// newServer is a server on addr whose command is still to be set.
func newServer(t *testing.T, addr string) *server {
	return &server{t: t, url: "http://" + addr, stdout: &testserve.SyncBuffer{}, stderr: &testserve.SyncBuffer{}, done: make(chan error, 1)}
}

// launch starts s.cmd, kills it at cleanup if it still runs, and waits up
// to timeout until /health answers 200 and stdout holds line (none when
// empty).
func (s *server) launch(timeout time.Duration, line string) {
	t := s.t
	t.Helper()
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	deadline := time.Now().Add(timeout)
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			t.Fatalf("serve exited early: %v\nstdout: %s\nstderr: %s", err, s.stdout, s.stderr)
		default:
		}
		if resp, err := http.Get(s.url + "/health"); err == nil {
			resp.Body.Close()
			// the process's stdout reaches the buffer through os/exec's
			// copying goroutine, which may lag behind the first answer
			if resp.StatusCode == 200 && strings.Contains(s.stdout.String(), line) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve never became healthy (waiting for stdout line %q)\nstdout: %s\nstderr: %s", line, s.stdout, s.stderr)
}

// stop sends SIGTERM and expects a clean exit.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("serve exited with %v\nstderr: %s", err, s.stderr)
		}
	case <-time.After(20 * time.Second):
		s.t.Fatal("serve did not stop on SIGTERM")
	}
	if !strings.Contains(s.stderr.String(), "stopped cleanly") {
		s.t.Fatalf("no clean stop logged:\n%s", s.stderr)
	}
}

type reply struct {
	status int
	raw    []byte
	obj    map[string]any
	list   []any
}

func (s *server) call(method, path string, body any, key string) reply {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: raw}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		s.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	r.obj, _ = v.(map[string]any)
	r.list, _ = v.([]any)
	return r
}

// want calls and checks the status, returning the reply.
func (s *server) want(status int, method, path string, body any) reply {
	s.t.Helper()
	r := s.call(method, path, body, s.key)
	if r.status != status {
		s.t.Fatalf("%s %s: %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r
}

func names(list []any, key string) []string {
	var out []string
	for _, e := range list {
		out = append(out, fmt.Sprint(e.(map[string]any)[key]))
	}
	return out
}

func TestServeEndToEnd(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	const key = "dbf_e2e-test-key-0123456789abcdef"

	s := startServer(t, bin, data, "--api-key", key)
	s.key = key
	if r := s.want(200, "GET", "/", nil); r.obj["message"] != "Praetorian DB-Forge is online." {
		t.Fatalf("root: %s", r.raw)
	}
	if r := s.want(201, "POST", "/admin/databases/spawn/agent_memory", nil); r.obj["message"] != "Database instance spawned successfully." {
		t.Fatalf("spawn: %s", r.raw)
	}
	if r := s.want(200, "POST", "/admin/databases/spawn/agent_memory", nil); r.obj["message"] != "Database instance already exists and is running." {
		t.Fatalf("respawn: %s", r.raw)
	}
	if l := names(s.want(200, "GET", "/admin/databases", nil).list, "name"); len(l) != 1 || l[0] != "agent_memory" {
		t.Fatalf("list: %v", l)
	}
	s.want(201, "POST", "/api/db/agent_memory/tables", map[string]any{"table_name": "users", "columns": []any{
		map[string]any{"name": "id", "type": "INTEGER", "primary_key": true},
		map[string]any{"name": "name", "type": "TEXT", "not_null": true},
		map[string]any{"name": "age", "type": "INTEGER"},
	}})
	r := s.want(201, "POST", "/api/db/agent_memory/tables/users/rows", map[string]any{"rows": []any{
		map[string]any{"name": "Alice", "age": 30}, map[string]any{"name": "Bob", "age": 24}, map[string]any{"name": "Cy", "age": 24},
	}})
	if r.obj["rows_affected"] != 3.0 {
		t.Fatalf("insert: %s", r.raw)
	}
	r = s.want(200, "GET", "/api/db/agent_memory/tables/users/rows?age=24&limit=1&offset=1", nil)
	if l := names(r.obj["data"].([]any), "name"); len(l) != 1 || l[0] != "Cy" || r.obj["rows_affected"] != 1.0 {
		t.Fatalf("filtered rows: %s", r.raw)
	}
	q := func(sql string, params ...any) reply {
		return s.want(200, "POST", "/api/db/agent_memory/query", map[string]any{"sql": sql, "params": params})
	}
	if r := q("SELECT name FROM users WHERE age > ?", 25); r.obj["rows_affected"] != 1.0 || names(r.obj["data"].([]any), "name")[0] != "Alice" {
		t.Fatalf("select: %s", r.raw)
	}
	if r := q("WITH a AS (SELECT avg(age) AS m FROM users) SELECT m FROM a"); !bytes.Contains(r.raw, []byte(`"m":26.0`)) {
		t.Fatalf("with: %s", r.raw)
	}
	if r := q("PRAGMA table_info(users)"); r.obj["rows_affected"] != 3.0 {
		t.Fatalf("pragma: %s", r.raw)
	}
	if r := q("UPDATE users SET age = age + 1 WHERE age = ?", 24); r.obj["rows_affected"] != 2.0 || r.obj["message"] != "Query executed successfully." {
		t.Fatalf("update: %s", r.raw)
	}
	if r := q("INSERT INTO users (name, age) VALUES (?, ?)", "Dee", 41); r.obj["last_insert_id"] != 4.0 {
		t.Fatalf("insert: %s", r.raw)
	}
	if r := q("DELETE FROM users WHERE name = ?", "Dee"); r.obj["rows_affected"] != 1.0 {
		t.Fatalf("delete: %s", r.raw)
	}
	if r := s.want(400, "POST", "/api/db/agent_memory/query", map[string]any{"sql": "SELECT * FROM nope"}); !strings.HasPrefix(r.obj["detail"].(string), "SQL Error: ") {
		t.Fatalf("sql error: %s", r.raw)
	}
	if r := s.want(404, "POST", "/api/db/ghost/query", map[string]any{"sql": "SELECT 1"}); r.obj["detail"] != "Database not found." {
		t.Fatalf("unknown db: %s", r.raw)
	}
	if r := s.call("GET", "/admin/databases", nil, ""); r.status != 401 || !strings.HasPrefix(r.obj["detail"].(string), "Missing API Key") {
		t.Fatalf("no key: %s", r.raw)
	}
	if r := s.call("POST", "/api/db/agent_memory/query", map[string]any{"sql": "SELECT 1"}, "dbf_wrong"); r.status != 401 || r.obj["detail"] != "Invalid API Key." {
		t.Fatalf("wrong key: %s", r.raw)
	}
	s.want(201, "POST", "/admin/databases/spawn/scratch", nil)
	s.want(200, "POST", "/admin/databases/prune/scratch", nil)
	s.want(404, "POST", "/admin/databases/prune/scratch", nil)
	if l := names(s.want(200, "GET", "/admin/databases", nil).list, "name"); len(l) != 1 || l[0] != "agent_memory" {
		t.Fatalf("pruned database still listed: %v", l)
	}
	s.stop()
	if strings.Contains(s.stderr.String(), key) {
		t.Fatal("the key reached the log")
	}

	// restart without --api-key: the stored hash still admits the key, and
	// the data is still there
	s2 := startServer(t, bin, data)
	s2.key = key
	if strings.Contains(s2.stderr.String(), "Generated admin API key") {
		t.Fatal("a new key was generated although a hash was stored")
	}
	r = s2.want(200, "POST", "/api/db/agent_memory/query", map[string]any{"sql": "SELECT count(*) AS n, sum(age) AS s FROM users"})
	if !bytes.Contains(r.raw, []byte(`{"n":3,"s":80}`)) {
		t.Fatalf("data after restart: %s", r.raw)
	}
	s2.stop()
}

func TestServeGeneratesKeyOnce(t *testing.T) {
	bin := testserve.BuildBinary(t, t.TempDir())
	data := t.TempDir()
	s := startServer(t, bin, data)
	m := regexp.MustCompile(`dbf_[A-Za-z0-9_-]{43}`).FindString(s.stderr.String())
	if m == "" {
		t.Fatalf("no generated key printed:\n%s", s.stderr)
	}
	s.key = m
	s.want(201, "POST", "/admin/databases/spawn/k", nil)
	if r := s.call("GET", "/admin/databases", nil, ""); r.status != 401 {
		t.Fatalf("open without key: %d", r.status)
	}
	stored, err := os.ReadFile(filepath.Join(data, "admin_key.sha256"))
	if err != nil || bytes.Contains(stored, []byte(m)) {
		t.Fatalf("hash file: %v %q", err, stored)
	}
	s.stop()
	if strings.Count(s.stderr.String(), m) != 1 {
		t.Fatal("the generated key was printed more than once")
	}

	// open mode is refused on a non-loopback address unless --insecure
	cmd := exec.Command(bin, "serve", "--no-auth", "--addr", "0.0.0.0:0", "--data", t.TempDir())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "refusing") {
		t.Fatalf("open mode on 0.0.0.0: %v %s", err, out)
	}
	open := startServer(t, bin, t.TempDir(), "--no-auth")
	if r := open.call("POST", "/admin/databases/spawn/o", nil, ""); r.status != 201 {
		t.Fatalf("open mode: %s", r.raw)
	}
	open.stop()
}
