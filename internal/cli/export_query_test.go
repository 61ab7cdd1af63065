package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportQuery: --query streams a statement's rows through the query
// export, to stdout or a file, and refuses what it cannot do in one line.
func TestExportQuery(t *testing.T) {
	data := seedGolden(t)
	got := mustRun(t, append(data, "export", "g", "--query", "SELECT id, label, r FROM v WHERE n IS NOT NULL ORDER BY id")...)
	if want := "id,label,r\r\n1,plain,6363.0\r\n3,\"has | pipe, comma \"\"quote\"\"\",\r\n4,\x1b[31mred\x1b[0m,1e+300\r\n"; got != want {
		t.Fatalf("stdout %q, want %q", got, want)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "rows.ndjson")
	out := mustRun(t, append(data, "export", "g", "-q", "SELECT id FROM v ORDER BY id DESC LIMIT 2", "-o", file)...)
	var sum exportResult
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Format != "ndjson" || sum.Query == "" || sum.Table != "" {
		t.Fatalf("summary %q: %v", out, err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "{\"id\":4}\n{\"id\":3}\n" {
		t.Fatalf("file %q: %v", b, err)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "g", "--query", "SELECT 1", "--table", "v"}, 2, "--query and --table"},
		{[]string{"export", "g", "--query", "SELECT 1", "--format", "sql"}, 2, "SQL export dumps the whole database"},
		{[]string{"export", "g", "--query", "DELETE FROM v RETURNING id"}, 1, ""},
		{[]string{"export", "g", "--query", "SELECT nope FROM v"}, 1, "no such column"},
	} {
		r := run(t, "", append(data, c.args...)...)
		if r.code != c.code || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%v: code %d, stderr %q, stdout %q", c.args, r.code, r.stderr, r.stdout)
		}
	}
	if n := mustRun(t, append(data, "query", "g", "SELECT count(*) AS n FROM v", "--format", "csv")...); n != "n\r\n4\r\n" {
		t.Fatalf("rows after a refused write: %q", n)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*part")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
