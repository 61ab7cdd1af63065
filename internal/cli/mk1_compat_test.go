package cli

import (
	"encoding/json"
	"strings"
	"testing"
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
	if out := mustRun(t, append(data, "query", "p", "SELECT count(*) AS n FROM t", "-o", "csv")...); !strings.HasPrefix(out, "n\n0") {
		t.Fatalf("table lost: %q", out)
	}
}
