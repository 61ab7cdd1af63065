package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

// script runs a multi-statement script through the import route.
func (f *fixture) script(db, sql string) response {
	f.t.Helper()
	r := f.do("POST", "/api/db/"+db+"/import/sql", sql)
	f.expect(r, 200, "Script executed successfully.")
	return r
}

// dumpOf returns the database's SQL dump through the export route.
func (f *fixture) dumpOf(db string) string {
	f.t.Helper()
	r := f.do("GET", "/api/db/"+db+"/export/sql", nil)
	if r.status != 200 {
		f.t.Fatalf("dump %s: %d %s", db, r.status, r.raw)
	}
	return string(r.raw)
}

func TestExportRoutes(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	f.script("d", `CREATE TABLE "we ird"(id INTEGER PRIMARY KEY, r REAL, s TEXT, b BLOB);
		INSERT INTO "we ird" VALUES (1, 6363.0, 'a,"b"', X'00FF'), (2, NULL, 'ü', NULL);`)

	r := f.do("GET", "/api/db/d/export/csv?table=we+ird", nil)
	f.expect(r, 200, "")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type = %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="we ird.csv"` {
		t.Fatalf("Content-Disposition = %q", cd)
	}
	if want := "id,r,s,b\r\n1,6363.0,\"a,\"\"b\"\"\",AP8=\r\n2,,ü,\r\n"; string(r.raw) != want {
		t.Fatalf("CSV = %q, want %q", r.raw, want)
	}

	r = f.do("GET", "/api/db/d/export/json?table=we%20ird", nil)
	f.expect(r, 200, "")
	want := "[\n" + `{"id":1,"r":6363.0,"s":"a,\"b\"","b":{"$blob":"AP8="}}` + ",\n" + `{"id":2,"r":null,"s":"ü","b":null}` + "\n]\n"
	if string(r.raw) != want || len(r.list) != 2 {
		t.Fatalf("JSON = %s", r.raw)
	}

	r = f.do("GET", "/api/db/d/export/json?table=we%20ird&ndjson=true", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" || strings.Count(string(r.raw), "\n") != 2 {
		t.Fatalf("NDJSON: %d %q %s", r.status, r.header.Get("Content-Type"), r.raw)
	}

	r = f.do("GET", "/api/db/d/export/sql", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/sql") ||
		!strings.HasPrefix(string(r.raw), "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n") {
		t.Fatalf("SQL: %d %q %.80s", r.status, r.header.Get("Content-Type"), r.raw)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename=d.sql` {
		t.Fatalf("Content-Disposition = %q", cd)
	}
}

// TestExportJSONMatchesQueryEncoding checks that an export encodes values
// byte for byte as the query route does.
func TestExportJSONMatchesQueryEncoding(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	f.script("d", `CREATE TABLE v(i, r REAL, s TEXT, b BLOB);
		INSERT INTO v VALUES (9223372036854775807, 6363.0, 'tab	quote" nl
 ctl'||char(1)||char(8232), X''),
		  (-9223372036854775808, 1e-7, 'ü', X'DEADBEEF'), (0, 1e21, '', NULL), (NULL, -0.25, CAST(X'FF' AS TEXT), 'x'),
		  (3, 123456789.125, '<&>', 2.5);`)
	q := f.do("POST", "/api/db/d/query", map[string]any{"sql": "SELECT * FROM v"})
	f.expect(q, 200, "")
	var qr struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(q.raw, &qr); err != nil {
		t.Fatal(err)
	}
	r := f.do("GET", "/api/db/d/export/json?table=v", nil)
	var er []json.RawMessage
	if err := json.Unmarshal(r.raw, &er); err != nil {
		t.Fatal(err)
	}
	if len(er) != 5 || len(qr.Data) != 5 {
		t.Fatalf("rows: export %d, query %d", len(er), len(qr.Data))
	}
	for i := range er {
		if !bytes.Equal(er[i], qr.Data[i]) {
			t.Fatalf("row %d:\nexport %s\nquery  %s", i, er[i], qr.Data[i])
		}
	}
}

func TestExportErrorsAreJSON(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	r := f.do("GET", "/api/db/d/export/csv?table=nope", nil)
	f.expect(r, 400, "SQL Error: no such table: nope")
	if r.code() != "SQL_ERROR" || r.header.Get("Content-Disposition") != "" {
		t.Fatalf("code %s, disposition %q", r.code(), r.header.Get("Content-Disposition"))
	}
	f.expect(f.do("GET", "/api/db/d/export/json", nil), 422, "Query parameter 'table' is required.")
	f.expect(f.do("GET", "/api/db/d/export/json?table=t&ndjson=maybe", nil), 422, "Query parameter 'ndjson' must be true or false.")
	f.expect(f.do("GET", "/api/db/nope/export/sql", nil), 404, "Database not found.")
	f.expect(f.do("GET", "/api/db/d/export/csv?table=x", nil), 400, "SQL Error: no such table: x")
	r = f.doWith("GET", "/api/db/d/export/sql", nil, nil)
	f.expect(r, 401, "")
}

// TestExportAbortsMidStream: once bytes are out, an error must not look
// like a complete file; the handler aborts the connection.
func TestExportAbortsMidStream(t *testing.T) {
	f := newFixture(t, Options{})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/db/d/export/sql", nil)
	sw := &streamWriter{w: rec, contentType: "application/sql", filename: "d.sql"}
	sw.Write([]byte("PRAGMA"))
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	f.gw.finishExport(rec, req, sw, errors.New("disk gone"))
	t.Fatal("finishExport returned after a mid-stream error")
}

func TestDumpRoundTripOverHTTP(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("src")
	f.spawn("dst")
	f.script("src", `CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
		CREATE TABLE c(id INTEGER PRIMARY KEY AUTOINCREMENT, p INTEGER REFERENCES p(id), v REAL, b BLOB);
		INSERT INTO c(p, v, b) VALUES (1, 0.1, X'01'), (2, 1e300, NULL);
		INSERT INTO p VALUES (1, 'it''s'), (2, 'two');
		CREATE INDEX c_p ON c(p);
		CREATE VIEW cv AS SELECT * FROM c JOIN p ON p.id = c.p;
		CREATE TRIGGER t AFTER DELETE ON p BEGIN DELETE FROM c WHERE p = old.id; END;`)
	dump := f.dumpOf("src")
	r := f.do("POST", "/api/db/dst/import/sql", dump)
	f.expect(r, 200, "Script executed successfully.")
	if r.body["statements"] == json.Number("0") || r.body["rows_affected"] == nil {
		t.Fatalf("import answer: %s", r.raw)
	}
	if again := f.dumpOf("dst"); again != dump {
		t.Fatalf("dump of the copy differs:\n%s\n---\n%s", again, dump)
	}
}

func TestImportCSVRoute(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	r := f.do("POST", "/api/db/d/import/csv?table=people", "name,age,score\nann,31,9.5\nbob,42,7\n")
	f.expect(r, 200, "Imported 2 rows into table 'people'.")
	if r.body["table"] != "people" || r.body["rows_imported"] != json.Number("2") || r.body["created"] != true {
		t.Fatalf("answer: %s", r.raw)
	}
	cols, _ := json.Marshal(r.body["columns"])
	if string(cols) != `[{"name":"name","type":"TEXT"},{"name":"age","type":"INTEGER"},{"name":"score","type":"REAL"}]` {
		t.Fatalf("columns: %s", cols)
	}
	// into the existing table, no header, semicolons
	r = f.do("POST", "/api/db/d/import/csv?table=people&header=false&create=false&delimiter=%3B", "cy;7;1.5\n")
	f.expect(r, 200, "Imported 1 rows into table 'people'.")
	q := f.exec("d", "SELECT sum(age), typeof(sum(score)) FROM people")
	if got, _ := json.Marshal(q.body["data"]); string(got) != `[{"sum(age)":80,"typeof(sum(score))":"real"}]` {
		t.Fatalf("data: %s", got)
	}
	r = f.do("POST", "/api/db/d/import/csv?table=t&delimiter=tab", "a\tb\n1\t2\n")
	f.expect(r, 200, "")
	f.expect(f.do("POST", "/api/db/d/import/csv", "a\n1\n"), 422, "Query parameter 'table' is required.")
	f.expect(f.do("POST", "/api/db/d/import/csv?table=x&delimiter=ab", "a\n1\n"), 422, "")
	f.expect(f.do("POST", "/api/db/d/import/csv?table=x&header=yes", "a\n1\n"), 422, "Query parameter 'header' must be true or false.")
	f.expect(f.do("POST", "/api/db/nope/import/csv?table=x", "a\n1\n"), 404, "Database not found.")
	f.expect(f.do("POST", "/api/db/d/import/csv?table=x&create=false", "a\n1\n"), 400, "No such table: x (pass create=true to create it).")
}

// TestImportBadInputOverHTTP sends broken bodies; each gets a clear 4xx and
// the database is exactly as before.
func TestImportBadInputOverHTTP(t *testing.T) {
	f := newFixture(t, Options{MaxBodyBytes: 64 << 10, MaxImportBytes: 64 << 10})
	f.spawn("d")
	f.script("d", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'kept');")
	before := f.dumpOf("d")
	var big strings.Builder
	big.WriteString("id,v\n")
	for i := 2; big.Len() < 200<<10; i++ {
		fmt.Fprintf(&big, "%d,row %d\n", i, i)
	}
	var script strings.Builder
	for i := 1; i <= 600; i++ {
		id := i + 1
		if i == 500 {
			id = 1
		}
		fmt.Fprintf(&script, "INSERT INTO t VALUES (%d, 'x');\n", id)
	}
	cases := []struct {
		name, path, body string
		status           int
		detail           string // prefix of the detail
	}{
		{"ragged", "/api/db/d/import/csv?table=t", "id,v\n5,a\n6\n", 400, "CSV line 3: wrong number of fields: 1, expected 2"},
		{"bad quote", "/api/db/d/import/csv?table=t", "id,v\n5,a\"b\n", 400, "CSV line 2, column 4"},
		{"invalid UTF-8", "/api/db/d/import/csv?table=t", "id,v\n5,\xff\n", 400, "CSV line 2, column 3: invalid UTF-8"},
		{"wrong delimiter", "/api/db/d/import/csv?table=n", "a;b\n1;2\n3,4\n", 400, "CSV line 3: wrong number of fields"},
		{"duplicate key", "/api/db/d/import/csv?table=t", "id,v\n7,a\n1,b\n", 400, "SQL Error: UNIQUE constraint failed: t.id (CSV line 3)"},
		{"over the body limit", "/api/db/d/import/csv?table=t", big.String(), 413, "Request body too large."},
		{"huge single field", "/api/db/d/import/csv?table=t", "id,v\n9,\"" + strings.Repeat("x", 100<<10) + "\"\n", 413, "Request body too large."},
		{"script error at 500", "/api/db/d/import/sql", script.String(), 400, "SQL Error: UNIQUE constraint failed: t.id (statement 500, line 500: INSERT INTO t VALUES (1, 'x'))"},
		{"script over the limit", "/api/db/d/import/sql", strings.Repeat("SELECT 1;\n", 10000), 413, "Request body too large."},
		{"script with ROLLBACK", "/api/db/d/import/sql", "INSERT INTO t VALUES (50, 'x'); ROLLBACK;", 400, "Statement 2 (line 1: ROLLBACK)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.do("POST", c.path, c.body)
			f.expect(r, c.status, "")
			if !strings.HasPrefix(r.str("detail"), c.detail) {
				t.Fatalf("detail = %q, want prefix %q", r.str("detail"), c.detail)
			}
			if after := f.dumpOf("d"); after != before {
				t.Fatalf("database changed:\n%s", after)
			}
		})
	}
	t.Run("body stops midway", func(t *testing.T) {
		body := &failingBody{data: []byte(big.String()[:40<<10])}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/db/d/import/csv?table=t", body)
		req.Header.Set("X-API-Key", f.key)
		if resp, err := f.srv.Client().Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("request with a broken body answered %d", resp.StatusCode)
		}
		// a script run takes the writer, so the broken import has ended
		f.script("d", "SELECT 1;")
		if after := f.dumpOf("d"); after != before {
			t.Fatalf("database changed:\n%s", after)
		}
	})
}

// failingBody yields its data, then fails like a dropped connection.
type failingBody struct {
	data []byte
	off  int
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

func TestBackupRoutes(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	f.script("d", "CREATE TABLE t(x); INSERT INTO t VALUES (1);")
	r := f.do("POST", "/admin/databases/d/backup", nil)
	f.expect(r, 201, "Backup created.")
	name := r.str("name")
	if r.str("db_name") != "d" || name == "" || r.str("created_at") == "" || r.body["size_bytes"] == json.Number("0") {
		t.Fatalf("backup answer: %s", r.raw)
	}
	f.exec("d", "INSERT INTO t VALUES (2)")
	second := f.do("POST", "/admin/databases/d/backup", nil).str("name")

	r = f.do("GET", "/admin/databases/d/backups", nil)
	f.expect(r, 200, "")
	if len(r.list) != 2 || r.list[0].(map[string]any)["name"] != second || r.list[1].(map[string]any)["name"] != name {
		t.Fatalf("list (newest first): %s", r.raw)
	}
	for _, k := range []string{"name", "created_at", "size_bytes"} {
		if _, ok := r.list[0].(map[string]any)[k]; !ok {
			t.Fatalf("list entry lacks %q: %s", k, r.raw)
		}
	}

	r = f.do("POST", "/admin/databases/d/restore", map[string]string{"backup": name})
	f.expect(r, 200, "Database restored from backup.")
	if r.str("name") != name {
		t.Fatalf("restore answer: %s", r.raw)
	}
	if got, _ := json.Marshal(f.exec("d", "SELECT count(*) AS n FROM t").body["data"]); string(got) != `[{"n":1}]` {
		t.Fatalf("after restore: %s", got)
	}

	missing := "20000101T000000.000Z-00000000.db"
	r = f.do("POST", "/admin/databases/d/restore", map[string]string{"backup": missing})
	f.expect(r, 404, "Backup not found.")
	if r.code() != "BACKUP_NOT_FOUND" {
		t.Fatalf("code = %s", r.code())
	}
	f.expect(f.do("POST", "/admin/databases/d/restore", "{not json"), 400, "")
	f.expect(f.do("POST", "/admin/databases/d/restore", `{"backup": 5}`), 422, "")
	f.expect(f.do("POST", "/admin/databases/d/restore", `{}`), 422, "Field 'backup' is required: a name from the backup list.")
	f.expect(f.do("POST", "/admin/databases/d/restore", nil), 422, "")
	f.expect(f.do("POST", "/admin/databases/d/restore", map[string]string{"backup": "../../catalog.db"}), 400, "")
	f.expect(f.do("POST", "/admin/databases/d/explode", nil), 404, "Not found.")
	f.expect(f.do("POST", "/admin/databases/nope/backup", nil), 404, "Database not found.")
	f.expect(f.do("GET", "/admin/databases/nope/backups", nil), 404, "Database not found.")
	f.expect(f.doWith("POST", "/admin/databases/d/backup", nil, nil), 401, "")
	// MK1's spawn/prune paths keep their meaning next to {db}/{action}
	f.expect(f.do("POST", "/admin/databases/prune/d", nil), 200, "Database instance pruned successfully.")
	f.expect(f.do("POST", "/admin/databases/d/backup", nil), 409, "")
	r = f.do("POST", "/admin/databases/spawn/backup", nil)
	f.expect(r, 201, "")
	if r.str("db_name") != "backup" {
		t.Fatalf("spawn/backup spawned %s", r.raw)
	}
}

// TestImportAnswersAreClientTypes keeps the JSON shapes of the transfer
// answers tied to the contract's types, which the gateway encodes.
func TestImportAnswersAreClientTypes(t *testing.T) {
	b, _ := json.Marshal(wireImport("m", engine.ImportResult{Table: "t", Rows: 1, Columns: []engine.Column{}}))
	if string(b) != `{"message":"m","table":"t","rows_imported":1,"created":false,"columns":[]}` {
		t.Fatalf("CSV import answer shape: %s", b)
	}
	b, _ = json.Marshal(wireScript("m", engine.ScriptResult{Statements: 2, RowsAffected: 3}))
	if string(b) != `{"message":"m","statements":2,"rows_affected":3}` {
		t.Fatalf("SQL import answer shape: %s", b)
	}
}

// null= picks the CSV NULL marker both ways; the default keeps NULL and the empty string
// apart (unquoted empty vs ""); a marker CSV cannot carry is a 400.
func TestCSVNullParam(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("d")
	f.exec("d", "CREATE TABLE t(id INTEGER, s TEXT)")
	f.exec("d", `INSERT INTO t VALUES (1, NULL), (2, ''), (3, '\N')`)
	r := f.do("GET", "/api/db/d/export/csv?table=t", nil)
	if r.status != 200 || string(r.raw) != "id,s\r\n1,\r\n2,\"\"\r\n3,\\N\r\n" {
		t.Fatalf("default export: %d %q", r.status, r.raw)
	}
	r = f.do("GET", "/api/db/d/export/csv?table=t&null=%5CN", nil)
	if r.status != 200 || string(r.raw) != "id,s\r\n1,\\N\r\n2,\r\n3,\"\\N\"\r\n" {
		t.Fatalf("export null=\\N: %d %q", r.status, r.raw)
	}
	f.expect(f.do("POST", "/api/db/d/import/csv?table=u&null=%5CN", string(r.raw)), 200, "")
	got := f.exec("d", "SELECT id, s, typeof(s) FROM u ORDER BY id")
	if want := `[{"id":1,"s":null,"typeof(s)":"null"},{"id":2,"s":"","typeof(s)":"text"},{"id":3,"s":"\\N","typeof(s)":"text"}]`; !strings.Contains(string(got.raw), want) {
		t.Fatalf("imported rows: %s", got.raw)
	}
	for _, bad := range []string{"/api/db/d/export/csv?table=t&null=%22", "/api/db/d/import/csv?table=v&null=a,b"} {
		method := "GET"
		if strings.Contains(bad, "import") {
			method = "POST"
		}
		r := f.do(method, bad, "a\n1\n")
		if r.status != 400 || !strings.Contains(r.str("detail"), "null string") {
			t.Errorf("%s: %d %s", bad, r.status, r.raw)
		}
	}
}
