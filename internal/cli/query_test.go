package cli

import (
	"strings"
	"testing"
)

func TestSQLFromStdinAndFile(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir}
	mustRun(t, append(data, "db", "spawn", "s")...)
	want := "[\n  {\"x\": 1}\n]\n"
	if r := run(t, "SELECT 1 AS x", append(data, "query", "s")...); r.stdout != want || r.code != 0 {
		t.Errorf("stdin without SQL argument: %+v", r)
	}
	if r := run(t, "SELECT 1 AS x", append(data, "query", "s", "-")...); r.stdout != want || r.code != 0 {
		t.Errorf("stdin with -: %+v", r)
	}
	file := dir + "/q.sql"
	writeFile(t, file, "-- a comment\nSELECT 1 AS x;\n")
	if out := mustRun(t, append(data, "query", "s", "-f", file)...); out != want {
		t.Errorf("file: %q", out)
	}
}

func TestLimitOffsetAndFooter(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir}
	mustRun(t, append(data, "db", "spawn", "s")...)
	sql := "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 10) SELECT n FROM c"
	r := run(t, "", append(data, "query", "s", sql, "--limit", "3", "--offset", "2", "--format", "csv")...)
	if r.stdout != "n\r\n3\r\n4\r\n5\r\n" || r.code != 0 {
		t.Errorf("csv page: %+v", r)
	}
	if !strings.Contains(r.stderr, "--offset 5") {
		t.Errorf("no hint about more rows on stderr: %q", r.stderr)
	}
	out := mustRun(t, append(data, "query", "s", sql, "--limit", "4", "--format", "table")...)
	if !strings.HasSuffix(out, "(4 rows; more follow: --offset 4)\n") {
		t.Errorf("table footer: %q", out)
	}
	// The config file's row_limit is the default page size.
	writeFile(t, dir+"/c.toml", "row_limit = 2\n")
	r = run(t, "", append(data, "--config", dir+"/c.toml", "query", "s", sql, "--format", "csv")...)
	if r.stdout != "n\r\n1\r\n2\r\n" || r.code != 0 {
		t.Errorf("row_limit from config: %+v", r)
	}
}

func TestDBLifecycle(t *testing.T) {
	dir := isolateEnv(t)
	t.Setenv("DBFORGE_DATA", dir) // the data dir from the environment
	if out := mustRun(t, "db", "spawn", "a", "-o", "table"); out != "a: Database instance spawned successfully.\n" {
		t.Errorf("spawn: %q", out)
	}
	if out := mustRun(t, "db", "spawn", "a", "-o", "json"); !strings.Contains(out, `"created": false`) {
		t.Errorf("spawn again: %q", out)
	}
	mustRun(t, "db", "spawn", "b")
	mustRun(t, "db", "prune", "b")
	list := mustRun(t, "db", "list", "-o", "csv")
	if !strings.HasPrefix(list, "name,status,backend,size,created,last_accessed\r\na,running,") || strings.Contains(list, "\nb,") {
		t.Errorf("list: %q", list)
	}
	if all := mustRun(t, "db", "list", "--all", "-o", "csv"); !strings.Contains(all, "\nb,stopped,") {
		t.Errorf("list --all: %q", all)
	}
	if out := mustRun(t, "db", "delete", "b", "--force", "-o", "csv"); !strings.HasPrefix(out, "db_name,message\r\nb,") {
		t.Errorf("delete: %q", out)
	}
	if all := mustRun(t, "db", "list", "--all", "-o", "json"); strings.Contains(all, `"b"`) {
		t.Errorf("b still listed after delete: %q", all)
	}
	mustRun(t, "query", "a", "CREATE TABLE t(x)")
	if info := mustRun(t, "db", "info", "a", "-o", "csv"); !strings.Contains(info, "journal_mode,wal") || !strings.Contains(info, "table,rows,indexes\r\nt,0,0") {
		t.Errorf("info: %q", info)
	}
	if st := mustRun(t, "db", "stats", "a", "-o", "csv"); !strings.Contains(st, "status,running") || !strings.Contains(st, "queries_total,") {
		t.Errorf("stats: %q", st)
	}
	if h := mustRun(t, "health", "-o", "csv"); !strings.Contains(h, "status,healthy") || !strings.Contains(h, "databases_running,1") {
		t.Errorf("health: %q", h)
	}
}

func TestVersionAndCompletion(t *testing.T) {
	isolateEnv(t)
	if out := mustRun(t, "version"); out != "dbforge "+Version+"\n" {
		t.Errorf("version: %q", out)
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if out := mustRun(t, "completion", sh); !strings.Contains(out, "dbforge") {
			t.Errorf("completion %s: no script", sh)
		}
	}
}

func TestConfigCommand(t *testing.T) {
	dir := isolateEnv(t)
	writeFile(t, dir+"/c.toml", "theme = \"light\"\nrefresh_interval = \"5s\"\n")
	t.Setenv("DBFORGE_API_KEY", "dbf_0123456789abcdefWXYZ")
	t.Setenv("DBFORGE_URL", "http://127.0.0.1:1")
	out := mustRun(t, "--config", dir+"/c.toml", "--url", "http://127.0.0.1:2", "config", "-o", "csv")
	for _, want := range []string{
		"url,http://127.0.0.1:2,flag --url\r\n",
		"api_key,dbf_…WXYZ,env DBFORGE_API_KEY\r\n",
		"theme,light,file " + dir + "/c.toml:1\r\n",
		"refresh_interval,5s,file " + dir + "/c.toml:2\r\n",
		"row_limit,1000,default\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "0123456789") {
		t.Errorf("API key not masked: %s", out)
	}
	table := mustRun(t, "--config", dir+"/c.toml", "config", "-o", "table")
	if !strings.HasPrefix(table, "config file: "+dir+"/c.toml\nmode:        remote http://127.0.0.1:1\n") {
		t.Errorf("config table header: %q", table)
	}
}
