package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportGoldens(t *testing.T) {
	data := seedGolden(t)
	golden(t, "export_csv", mustRun(t, append(data, "export", "g", "--table", "v")...))
	golden(t, "export_ndjson", mustRun(t, append(data, "export", "g", "-t", "v", "--format", "ndjson")...))
	golden(t, "export_sql", mustRun(t, append(data, "export", "g")...))
}

// sameRows fails unless the query gives the same JSON in both databases.
func sameRows(t *testing.T, data []string, a, b, sql string) {
	t.Helper()
	x := mustRun(t, append(data, "query", a, sql, "--format", "json")...)
	y := mustRun(t, append(data, "query", b, sql, "--format", "json")...)
	if x != y {
		t.Errorf("%s differs:\n%s: %s\n%s: %s", sql, a, x, b, y)
	}
}

func TestExportImportCSVFile(t *testing.T) {
	data := seedGolden(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "v.csv")
	out := mustRun(t, append(data, "export", "g", "--table", "v", "-o", file)...)
	var sum exportResult
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.File != file || sum.Format != "csv" || sum.Bytes == 0 {
		t.Fatalf("export summary %q: %v", out, err)
	}
	if st, err := os.Stat(file); err != nil || st.Size() != sum.Bytes {
		t.Fatalf("file: %v, %v", st, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*part")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	mustRun(t, append(data, "db", "spawn", "h")...)
	mustRun(t, append(data, "query", "h", "CREATE TABLE v (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER, r REAL, b BLOB)")...)
	// the table name comes from the file name
	out = mustRun(t, append(data, "import", "h", file, "--no-create")...)
	golden(t, "import_csv_json", out)
	sameRows(t, data, "g", "h", "SELECT id, label, n, r FROM v ORDER BY id")
}

func TestExportImportSQLThroughPipes(t *testing.T) {
	data := seedGolden(t)
	dump := mustRun(t, append(data, "export", "g", "--format", "sql")...)
	mustRun(t, append(data, "db", "spawn", "h")...)
	r := run(t, dump, append(data, "import", "h", "-", "--format", "sql")...)
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, `"statements"`) {
		t.Fatalf("import: %+v", r)
	}
	sameRows(t, data, "g", "h", "SELECT * FROM v ORDER BY id")
	sameRows(t, data, "g", "h", "SELECT type, name, sql FROM sqlite_master ORDER BY name")
}

func TestImportCSVFromStdinWithOptions(t *testing.T) {
	data := seedGolden(t)
	r := run(t, "1;apple\n2;pear\n", append(data, "import", "g", "-", "--format", "csv", "--table", "fruit", "--no-header", "--delimiter", ";")...)
	if r.code != 0 || !strings.Contains(r.stdout, `"rows_imported": 2`) || !strings.Contains(r.stdout, `"created": true`) {
		t.Fatalf("import: %+v", r)
	}
	got := mustRun(t, append(data, "query", "g", "SELECT * FROM fruit ORDER BY 1", "--format", "csv")...)
	if got != "c1,c2\r\n1,apple\r\n2,pear\r\n" {
		t.Errorf("rows = %q", got)
	}
	// a .tsv file is tab-separated without being told
	tsv := filepath.Join(t.TempDir(), "veg.tsv")
	writeFile(t, tsv, "name\tkg\nleek\t2\n")
	mustRun(t, append(data, "import", "g", tsv)...)
	if got := mustRun(t, append(data, "query", "g", "SELECT name, kg FROM veg", "--format", "csv")...); got != "name,kg\r\nleek,2\r\n" {
		t.Errorf("tsv rows = %q", got)
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	data := seedGolden(t)
	const q = "SELECT id, label FROM v ORDER BY id"
	before := mustRun(t, append(data, "query", "g", q, "--format", "csv")...)
	var made struct {
		Name   string `json:"name"`
		DBName string `json:"db_name"`
	}
	out := mustRun(t, append(data, "backup", "g")...)
	if err := json.Unmarshal([]byte(out), &made); err != nil {
		t.Fatal(err)
	}
	if made.Name == "" || made.DBName != "g" {
		t.Fatalf("backup answer %q", out)
	}
	mustRun(t, append(data, "query", "g", "DELETE FROM v")...)

	list := mustRun(t, append(data, "backups", "g", "--format", "csv")...)
	if !strings.HasPrefix(list, "name,created,size\r\n"+made.Name+",") {
		t.Errorf("backups = %q", list)
	}
	out = mustRun(t, append(data, "restore", "g", made.Name, "--force", "--format", "csv")...)
	if !strings.Contains(out, "message,Database restored from backup.") {
		t.Errorf("restore = %q", out)
	}
	if after := mustRun(t, append(data, "query", "g", q, "--format", "csv")...); after != before {
		t.Errorf("after restore %q, want %q", after, before)
	}
}

func TestTransferErrors(t *testing.T) {
	data := seedGolden(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.csv")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"sql with table", []string{"export", "g", "--table", "v", "--format", "sql"}, 2, "dumps the whole database"},
		{"csv without table", []string{"export", "g", "-o", filepath.Join(dir, "x.csv")}, 2, "a csv export needs --table"},
		{"bad export format", []string{"export", "g", "--format", "xml"}, 2, `not "xml"`},
		{"tsv export", []string{"export", "g", "--table", "v", "-o", filepath.Join(dir, "rows.tsv")}, 2, "name the file .csv"},
		{"unknown table", []string{"export", "g", "--table", "nope", "-o", missing}, 1, "SQL error: no such table: nope"},
		{"unknown database", []string{"export", "zz", "-t", "v"}, 1, `database "zz" not found`},
		{"no format", []string{"import", "g", filepath.Join(dir, "x.txt")}, 2, "cannot tell the format"},
		{"stdin csv needs table", []string{"import", "g", "-", "--format", "csv"}, 2, "needs --table"},
		{"sql with csv flags", []string{"import", "g", "-", "--format", "sql", "--no-header"}, 2, "apply to CSV only"},
		{"bad delimiter", []string{"import", "g", "-", "--format", "csv", "-t", "x", "--delimiter", "ab"}, 2, "--delimiter must be one character"},
		{"missing file", []string{"import", "g", missing}, 1, "no such file or directory"},
		{"bad csv row", []string{"import", "g", "-", "--format", "csv", "-t", "v", "--no-create"}, 1, "UNIQUE constraint failed: v.id (CSV line 2)"},
		{"failing script", []string{"import", "g", "-", "--format", "sql"}, 1, "statement 2"},
		{"unknown backup", []string{"restore", "g", "20200101T000000.000Z-0123abcd.db", "--force"}, 1, "not found (see dbforge backups g)"},
		{"backup unknown db", []string{"backup", "zz"}, 1, `database "zz" not found`},
		{"read-only import", []string{"--read-only", "import", "g", "-", "--format", "sql"}, 1, "read-only mode"},
		{"restore without --force", []string{"restore", "g", "x"}, 2, "add --force to confirm"},
		{"read-only restore", []string{"--read-only", "restore", "g", "x", "--force"}, 1, "read-only mode"},
		{"null on a query export", []string{"export", "g", "--query", "SELECT 1", "--null", "NULL"}, 2, "--null applies to a table's CSV export"},
		{"null on a json export", []string{"export", "g", "--table", "v", "--format", "json", "--null", "NULL"}, 2, "--null applies to CSV only"},
		{"null with a quote", []string{"export", "g", "--table", "v", "--null", `"`}, 2, "must not contain a quote"},
		{"null on a sql import", []string{"import", "g", "-", "--format", "sql", "--null", "x"}, 2, "apply to CSV only"},
		{"null with the delimiter", []string{"import", "g", "-", "--format", "csv", "-t", "x", "--delimiter", ";", "--null", "a;b"}, 2, "must not contain"},
	}
	stdin := map[string]string{
		"bad csv row":    "id,label\n1,\"\"\n", // "" is an empty string, not NULL
		"failing script": "CREATE TABLE w(x);\nINSERT INTO nope VALUES (1);\n",
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertError(t, run(t, stdin[c.name], append(data, c.args...)...), c.code, c.want)
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("failed export left a file: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if got := mustRun(t, append(data, "query", "g", "SELECT count(*) AS n FROM sqlite_master WHERE name = 'w'", "--format", "csv")...); got != "n\r\n0\r\n" {
		t.Errorf("failed script left table w: %q", got)
	}
}
