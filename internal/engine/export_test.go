package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// valuesTable makes table "v" with one row of every storage class and
// awkward text.
func valuesTable(t *testing.T, e *Engine, db string) {
	t.Helper()
	runScript(t, e, db, `CREATE TABLE v(id INTEGER PRIMARY KEY, r REAL, s TEXT, b BLOB, n, at DATETIME);
		INSERT INTO v VALUES
		  (9223372036854775807, 6363.0, 'plain', X'00FF', NULL, '2024-01-02T03:04:05Z'),
		  (-1, 0.1, 'a,"quoted"' || char(10) || 'line', X'', 'x', 'not a date'),
		  (3, 1e-7, '', NULL, 2.5, NULL),
		  (4, 1e21, 'ü ' || char(8232) || ' ' || char(1), X'DEADBEEF', -0.5, 20240102)`)
}

func TestExportCSV(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	var b bytes.Buffer
	n, err := e.ExportCSV(context.Background(), "d", "v", &b)
	if err != nil || n != 4 {
		t.Fatalf("ExportCSV = %d, %v", n, err)
	}
	// the LF inside a value stays an LF (byte-exact); the empty string and
	// the empty blob are "", NULL is an unquoted empty field
	want := "id,r,s,b,n,at\r\n" +
		"-1,0.1,\"a,\"\"quoted\"\"\nline\",\"\",x,not a date\r\n" +
		"3,1e-07,\"\",,2.5,\r\n" +
		"4,1e+21,ü \u2028 \x01,3q2+7w==,-0.5,20240102\r\n" +
		"9223372036854775807,6363.0,plain,AP8=,,2024-01-02T03:04:05Z\r\n"
	if b.String() != want {
		t.Fatalf("CSV:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestExportJSON(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	rows := []string{
		`{"id":-1,"r":0.1,"s":"a,\"quoted\"\nline","b":{"$blob":""},"n":"x","at":"not a date"}`,
		`{"id":3,"r":1e-7,"s":"","b":null,"n":2.5,"at":null}`,
		`{"id":4,"r":1e+21,"s":"ü \u2028 \u0001","b":{"$blob":"3q2+7w=="},"n":-0.5,"at":20240102}`,
		`{"id":9223372036854775807,"r":6363.0,"s":"plain","b":{"$blob":"AP8="},"n":null,"at":"2024-01-02T03:04:05Z"}`,
	}
	var b bytes.Buffer
	n, err := e.ExportJSON(context.Background(), "d", "v", false, &b)
	if err != nil || n != 4 {
		t.Fatalf("ExportJSON = %d, %v", n, err)
	}
	if want := "[\n" + strings.Join(rows, ",\n") + "\n]\n"; b.String() != want {
		t.Fatalf("JSON:\n%s\nwant\n%s", b.String(), want)
	}
	var decoded []map[string]any
	if err := json.Unmarshal(b.Bytes(), &decoded); err != nil || len(decoded) != 4 {
		t.Fatalf("not a JSON array of 4 objects: %v", err)
	}
	b.Reset()
	if _, err := e.ExportJSON(context.Background(), "d", "v", true, &b); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(rows, "\n") + "\n"; b.String() != want {
		t.Fatalf("NDJSON:\n%s\nwant\n%s", b.String(), want)
	}
}

func TestExportEmptyTableAndView(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	runScript(t, e, "d", "CREATE TABLE t(a, b); CREATE VIEW w AS SELECT 1 AS one, 'x' AS two")
	var b bytes.Buffer
	if _, err := e.ExportJSON(context.Background(), "d", "t", false, &b); err != nil || b.String() != "[]\n" {
		t.Fatalf("empty JSON = %q, %v", b.String(), err)
	}
	b.Reset()
	if _, err := e.ExportJSON(context.Background(), "d", "t", true, &b); err != nil || b.String() != "" {
		t.Fatalf("empty NDJSON = %q, %v", b.String(), err)
	}
	b.Reset()
	if _, err := e.ExportCSV(context.Background(), "d", "t", &b); err != nil || b.String() != "a,b\r\n" {
		t.Fatalf("empty CSV = %q, %v", b.String(), err)
	}
	b.Reset()
	if n, err := e.ExportCSV(context.Background(), "d", "w", &b); err != nil || n != 1 || b.String() != "one,two\r\n1,x\r\n" {
		t.Fatalf("view CSV = %q, %d, %v", b.String(), n, err)
	}
}

func TestExportErrorsWriteNothing(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	ctx := context.Background()
	var b bytes.Buffer
	_, err := e.ExportCSV(ctx, "d", "nope", &b)
	wantSQLError(t, err, "no such table: nope")
	_, err = e.ExportJSON(ctx, "d", "nope", true, &b)
	wantSQLError(t, err, "no such table: nope")
	_, err = e.ExportJSON(ctx, "d", "bad\x01name", false, &b)
	wantErr(t, err, ErrInvalidIdentifier)
	_, err = e.ExportCSV(ctx, "missing", "t", &b)
	wantErr(t, err, ErrNotFound)
	if b.Len() != 0 {
		t.Fatalf("wrote %q before failing", b.String())
	}
}

// TestExportSnapshotWhileWriting blocks an export mid-stream, writes to
// the table meanwhile (which must not wait for the export), and checks that
// the export still holds exactly the rows of its start.
func TestExportSnapshotWhileWriting(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT)")
	exec(t, e, "d", `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 5000)
		INSERT INTO t SELECT i, printf('%050d', i) FROM c`)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := e.ExportCSV(context.Background(), "d", "t", pw)
		pw.CloseWithError(err)
		done <- err
	}()
	head := make([]byte, 100)
	if _, err := io.ReadFull(pr, head); err != nil {
		t.Fatal(err)
	}
	// the export now holds its snapshot and is blocked on the pipe
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := e.Exec(ctx, "d", Query{SQL: "INSERT INTO t(pad) VALUES ('late')"}); err != nil {
		t.Fatalf("write during export: %v", err)
	}
	rest, err := io.ReadAll(pr)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := string(head) + string(rest)
	if lines := strings.Count(out, "\r\n"); lines != 5001 {
		t.Fatalf("export has %d lines, want header + 5000", lines)
	}
	if strings.Contains(out, "late") {
		t.Fatal("export saw a row written after it started")
	}
}

// failWriter fails after n bytes, like a client that went away.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("connection reset")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestExportWriterFailureReleasesReader(t *testing.T) {
	e := openTest(t, func(c *Config) { c.ReaderPool = 1 })
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(pad TEXT)")
	exec(t, e, "d", `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 20000)
		INSERT INTO t SELECT printf('%040d', i) FROM c`)
	if _, err := e.ExportJSON(context.Background(), "d", "t", true, &failWriter{n: 1000}); err == nil {
		t.Fatal("export to a failing writer succeeded")
	}
	// the only reader is back in the pool
	if got := exec(t, e, "d", "SELECT count(*) FROM t").Rows[0][0]; got != int64(20000) {
		t.Fatalf("count = %v", got)
	}
}
