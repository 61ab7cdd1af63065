package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/mk1fake"
)

// TestSpawnAfterPrune: the gateway answers a re-spawn as MK1 does (its
// message) and says "restarted"; the CLI reports created false, restarted
// true, and tells a person the data was kept.
func TestSpawnAfterPrune(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir}
	mustRun(t, append(data, "db", "spawn", "p")...)
	mustRun(t, append(data, "query", "p", "CREATE TABLE t(x)")...)
	mustRun(t, append(data, "db", "prune", "p")...)
	var got struct {
		Message   string `json:"message"`
		Created   *bool  `json:"created"`
		Restarted *bool  `json:"restarted"`
	}
	out := mustRun(t, append(data, "db", "spawn", "p", "-o", "json")...)
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if got.Message != "Database instance spawned successfully." || got.Created == nil || *got.Created || got.Restarted == nil || !*got.Restarted {
		t.Fatalf("re-spawn: %q", out)
	}
	mustRun(t, append(data, "db", "prune", "p")...)
	if out := mustRun(t, append(data, "db", "spawn", "p", "-o", "table")...); out != "p: Database instance spawned successfully. (started again with its data)\n" {
		t.Fatalf("re-spawn text: %q", out)
	}
	if out := mustRun(t, append(data, "query", "p", "SELECT count(*) AS n FROM t", "-o", "csv")...); !strings.HasPrefix(out, "n\r\n0") {
		t.Fatalf("table lost: %q", out)
	}
}

// TestAgainstMK1 runs the CLI against the MK1 stand-in: health reports
// it reachable with what it lacks (exit 0), explain says it is not
// available (one line, exit 1) instead of printing an empty plan, and
// spawn tells an existing database from a new one although MK1 answers
// 201 to both.
func TestAgainstMK1(t *testing.T) {
	isolateEnv(t)
	remote := []string{"--url", mk1fake.New(t).URL, "--api-key", mk1fake.Key}

	r := run(t, "", append(remote, "health")...)
	if r.code != 0 || !strings.Contains(r.stdout, "reachable") || !strings.Contains(r.stdout, "MK1") || !strings.Contains(r.stdout, "explain") {
		t.Fatalf("health: %+v", r)
	}
	var h struct {
		Status  string   `json:"status"`
		Gateway string   `json:"gateway"`
		Missing []string `json:"missing"`
	}
	out := mustRun(t, append(remote, "health", "-o", "json")...)
	if err := json.Unmarshal([]byte(out), &h); err != nil || h.Status != "reachable" || h.Gateway != "MK1" || len(h.Missing) == 0 {
		t.Fatalf("health json: %q %v", out, err)
	}

	created := func(out string) bool {
		t.Helper()
		var s struct{ Created *bool }
		if err := json.Unmarshal([]byte(out), &s); err != nil || s.Created == nil {
			t.Fatalf("spawn json: %q %v", out, err)
		}
		return *s.Created
	}
	if !created(mustRun(t, append(remote, "db", "spawn", "m", "-o", "json")...)) {
		t.Fatal("first spawn not created")
	}
	if out := mustRun(t, append(remote, "db", "spawn", "m", "-o", "json")...); created(out) || !strings.Contains(out, "already exists") {
		t.Fatalf("spawn of an existing database on MK1: %q", out)
	}

	mustRun(t, append(remote, "query", "m", "CREATE TABLE t (x)")...)
	r = run(t, "", append(remote, "explain", "m", "SELECT * FROM t")...)
	if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "not available on this gateway") {
		t.Fatalf("explain on MK1: %+v", r)
	}
}
