package cli_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/testserve"
)

// TestCLIEmbeddedAndRemoteAgree builds the real binary and runs the same
// commands in embedded mode and against `dbforge serve` on loopback: every
// output, error line and exit code must be identical.
func TestCLIEmbeddedAndRemoteAgree(t *testing.T) {
	tmp := t.TempDir()
	bin := testserve.BuildBinary(t, tmp)
	env := isolatedEnv(tmp)

	const key = "dbf_e2e-key-0123456789abcdef"
	url := startServe(t, bin, env, filepath.Join(tmp, "served"), key)
	embedded := []string{"--data", filepath.Join(tmp, "embedded")}
	remote := []string{"--url", url, "--api-key", key}

	csvFile := filepath.Join(tmp, "more.csv")
	if err := os.WriteFile(csvFile, []byte("sku,qty\nA-1,3\nB-2,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script := [][]string{
		{"db", "spawn", "shop", "-o", "csv"},
		{"query", "shop", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, qty INTEGER, img BLOB)"},
		{"query", "shop", "CREATE INDEX items_name ON items(name)"},
		{"query", "shop", "INSERT INTO items (name, price, qty) VALUES (?, ?, ?)", "-p", "widget", "-p", "6363.0", "-p", "9223372036854775807"},
		{"query", "shop", "INSERT INTO items (name, price, qty, img) VALUES (:n, :p, :q, x'cafe')", "-p", "n=gädget |1|", "-p", "p=null", "-p", "q=-1"},
		{"query", "shop", "INSERT INTO items (name) VALUES (char(27) || '[31mred')", "-o", "table"},
		{"query", "shop", "SELECT * FROM items ORDER BY id"},
		{"query", "shop", "SELECT * FROM items ORDER BY id", "-o", "table"},
		{"query", "shop", "SELECT * FROM items ORDER BY id", "-o", "csv"},
		{"query", "shop", "SELECT * FROM items ORDER BY id", "-o", "markdown"},
		{"query", "shop", "SELECT id FROM items ORDER BY id", "--limit", "1", "--offset", "1", "-o", "table"},
		{"schema", "shop", "-o", "table"},
		{"schema", "shop", "items", "-o", "json"},
		{"explain", "shop", "SELECT * FROM items WHERE name = ?", "-p", "widget", "-o", "table"},
		{"db", "stats", "nope"},
		{"query", "nope", "SELECT 1"},
		{"query", "shop", "SELECT * FROM missing"},
		{"db", "spawn", "bad/name"},
		{"export", "shop", "--table", "items"},
		{"export", "shop", "--table", "items", "--format", "ndjson"},
		{"export", "shop", "--format", "sql"},
		{"export", "shop", "--table", "missing"},
		{"import", "shop", csvFile, "--table", "more"},
		{"import", "shop", csvFile, "--table", "items", "--no-create"},
		{"export", "shop", "--table", "more", "--format", "json"},
		{"restore", "shop", "20200101T000000.000Z-0123abcd.db", "--force"},
		{"backups", "nope"},
		{"db", "prune", "shop", "-o", "json"},
		{"query", "shop", "SELECT 1"},
		{"db", "list", "-o", "csv"},
		{"db", "spawn", "shop", "-o", "csv"}, // JSON carries a random container id
		{"query", "shop", "SELECT count(*) AS n FROM items", "-o", "csv"},
		{"db", "delete", "shop"},
		{"db", "delete", "shop", "--force", "-o", "markdown"},
		{"query", "shop", "SELECT 1"},
	}
	for _, args := range script {
		e := runBin(t, bin, env, append(embedded, args...)...)
		r := runBin(t, bin, env, append(remote, args...)...)
		if e != r {
			t.Errorf("dbforge %s differs:\n--- embedded ---\n%s\n--- remote ---\n%s", strings.Join(args, " "), e, r)
		}
		// an export or CSV into a pipe is the data byte for byte (a
		// terminal gets it sanitized); everything else must never carry an
		// escape
		if strings.ContainsRune(e, 0x1b) && args[0] != "export" && !slices.Contains(args, "csv") {
			t.Errorf("dbforge %s: raw escape character in output", strings.Join(args, " "))
		}
	}

	// Spot checks that the shared output is also right.
	if out := runBin(t, bin, env, append(embedded, "query", "nope", "SELECT 1")...); out != "exit 1\nstdout:\nstderr:\nerror: database \"nope\" not found\n" {
		t.Errorf("unknown database: %q", out)
	}
	if out := runBin(t, bin, env, append(remote, "health", "-o", "csv")...); !strings.Contains(out, "status,healthy") || !strings.HasPrefix(out, "exit 0") {
		t.Errorf("health: %q", out)
	}
	wrong := append([]string{"--url", url, "--api-key", "dbf_wrong-key-0123456789abcdef"}, "db", "list")
	if out := runBin(t, bin, env, wrong...); out != "exit 1\nstdout:\nstderr:\nerror: invalid API key\n" {
		t.Errorf("wrong key: %q", out)
	}
}

// isolatedEnv is the environment without any DB-Forge setting and with
// HOME and the XDG directories inside dir.
func isolatedEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DBFORGE_") || strings.HasPrefix(kv, "XDG_") ||
			strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "NO_COLOR=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"))
}

// startServe runs `dbforge serve` on a free loopback port and waits until
// it answers /health; the server is stopped with SIGTERM at cleanup.
func startServe(t *testing.T, bin string, env []string, data, key string) string {
	t.Helper()
	addr := testserve.FreeAddr(t)
	var logs testserve.SyncBuffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", data, "--api-key", key)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// closed when the process has exited, so both the start loop and the
	// cleanup can wait for it (a value sent once could be taken only once)
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		select {
		case <-exited:
			t.Fatalf("dbforge serve exited: %v\n%s", waitErr, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("dbforge serve did not come up on %s\n%s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runBin runs the binary and returns its exit code, stdout and stderr as
// one string, so two runs compare with ==.
func runBin(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &out, &errb
	code := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", bin, err)
		}
		code = ee.ExitCode()
	}
	return "exit " + strconv.Itoa(code) + "\nstdout:\n" + out.String() + "stderr:\n" + errb.String()
}
