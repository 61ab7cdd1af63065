package cli

import (
	"encoding/json"
	"testing"
)

func TestDBFork(t *testing.T) {
	data := seedGolden(t)
	const q = "SELECT id, label FROM v ORDER BY id"
	before := mustRun(t, append(data, "query", "g", q, "--format", "csv")...)
	out := mustRun(t, append(data, "db", "fork", "g", "g2", "--format", "json")...)
	var r forkResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.DBName != "g2" || r.Source != "g" {
		t.Fatalf("fork answer %q: %v", out, err)
	}
	if got := mustRun(t, append(data, "query", "g2", q, "--format", "csv")...); got != before {
		t.Fatalf("fork rows %q, want %q", got, before)
	}
	mustRun(t, append(data, "query", "g2", "DELETE FROM v")...)
	if got := mustRun(t, append(data, "query", "g", q, "--format", "csv")...); got != before {
		t.Fatalf("source changed with its fork: %q", got)
	}

	// from a backup point
	var made struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, append(data, "backup", "g")...)), &made); err != nil {
		t.Fatal(err)
	}
	mustRun(t, append(data, "query", "g", "DELETE FROM v")...)
	if out := mustRun(t, append(data, "db", "fork", "g", "g3", "--backup", made.Name, "-o", "csv")...); out != "db_name,source,backup,message\r\ng3,g,"+made.Name+",Database forked.\r\n" {
		t.Fatalf("fork csv %q", out)
	}
	if got := mustRun(t, append(data, "query", "g3", q, "--format", "csv")...); got != before {
		t.Fatalf("fork of the backup %q, want %q", got, before)
	}

	assertError(t, run(t, "", append(data, "db", "fork", "g", "g2")...), 1, "already exists")
	assertError(t, run(t, "", append(data, "db", "fork", "nope", "x")...), 1, `database "nope" not found`)
	assertError(t, run(t, "", append(data, "db", "fork", "g", "bad/name")...), 1, "")
	assertError(t, run(t, "", append(data, "db", "fork", "g")...), 2, "")
}
