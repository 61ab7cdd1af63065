package engine

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestExportQueryMatchesTableExport: a query export of SELECT * writes
// what the table export writes, byte for byte, in every format (DATETIME
// text kept as stored, REAL with its fraction, BLOB base64, NULL).
func TestExportQueryMatchesTableExport(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	ctx := context.Background()
	for _, format := range []string{ExportCSV, ExportJSON, ExportNDJSON} {
		var table, query bytes.Buffer
		var err error
		switch format {
		case ExportCSV:
			_, err = e.ExportCSV(ctx, "d", "v", &table)
		default:
			_, err = e.ExportJSON(ctx, "d", "v", format == ExportNDJSON, &table)
		}
		if err != nil {
			t.Fatal(err)
		}
		n, err := e.ExportQuery(ctx, "d", Query{SQL: "SELECT * FROM v ORDER BY id;"}, format, &query)
		if err != nil || n != 4 {
			t.Fatalf("%s: ExportQuery = %d, %v", format, n, err)
		}
		if query.String() != table.String() {
			t.Fatalf("%s:\n%q\nwant\n%q", format, query.String(), table.String())
		}
	}
}

func TestExportQueryParamsAndShapes(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	ctx := context.Background()
	var b bytes.Buffer
	n, err := e.ExportQuery(ctx, "d", Query{SQL: "SELECT id, at, r * 2 AS twice FROM v WHERE id IN (?, ?) ORDER BY id -- trailing comment", Params: []any{int64(3), int64(9223372036854775807)}}, ExportCSV, &b)
	if err != nil || n != 2 {
		t.Fatalf("ExportQuery = %d, %v", n, err)
	}
	if want := "id,at,twice\r\n3,,2e-07\r\n9223372036854775807,2024-01-02T03:04:05Z,12726.0\r\n"; b.String() != want {
		t.Fatalf("CSV %q, want %q", b.String(), want)
	}
	// clashing names and a PRAGMA run unwrapped
	b.Reset()
	if _, err := e.ExportQuery(ctx, "d", Query{SQL: "SELECT 1 AS a, 2 AS a"}, ExportNDJSON, &b); err != nil || b.String() != "{\"a\":1,\"a\":2}\n" {
		t.Fatalf("clashing names: %q, %v", b.String(), err)
	}
	b.Reset()
	if n, err := e.ExportQuery(ctx, "d", Query{SQL: "PRAGMA table_info(v)"}, ExportCSV, &b); err != nil || n != 6 {
		t.Fatalf("pragma: %d, %v", n, err)
	}
	b.Reset()
	if n, err := e.ExportQuery(ctx, "d", Query{SQL: "SELECT * FROM v WHERE 0"}, ExportJSON, &b); err != nil || n != 0 || b.String() != "[]\n" {
		t.Fatalf("empty: %d %q %v", n, b.String(), err)
	}
}

// TestExportQueryNeverWrites: the export runs on a reader whatever the
// caller, so no spelling of a write gets through, and nothing is written
// to w before the refusal.
func TestExportQueryNeverWrites(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	ctx := context.Background()
	for _, sql := range []string{
		"INSERT INTO v (id) VALUES (100) RETURNING *",
		"WITH x AS (SELECT 1) INSERT INTO v (id) SELECT 101 FROM x RETURNING id",
		"UPDATE v SET s = 'owned' RETURNING id",
		"DELETE FROM v RETURNING id",
		"PRAGMA user_version = 7",
		"PRAGMA query_only = 0",
	} {
		var b bytes.Buffer
		_, err := e.ExportQuery(ctx, "d", Query{SQL: sql}, ExportCSV, &b)
		if err == nil {
			t.Fatalf("%q exported", sql)
		}
		if b.Len() != 0 {
			t.Fatalf("%q wrote %q before failing", sql, b.String())
		}
	}
	res := exec(t, e, "d", "SELECT count(*), sum(s = 'owned') FROM v")
	if res.Rows[0][0] != int64(4) || res.Rows[0][1] != int64(0) {
		t.Fatalf("data changed: %v", res.Rows[0])
	}
	if v := exec(t, e, "d", "PRAGMA user_version").Rows[0][0]; v != int64(0) {
		t.Fatalf("user_version = %v", v)
	}
	_, err := e.ExportQuery(ctx, "d", Query{SQL: "INSERT INTO v (id) VALUES (100) RETURNING *"}, ExportCSV, &bytes.Buffer{})
	wantErr(t, err, ErrReadOnly)
}

func TestExportQueryRefusals(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	valuesTable(t, e, "d")
	ctx := context.Background()
	for _, c := range []struct{ sql, format, want string }{
		{"SELECT 1; SELECT 2", ExportCSV, "one"},
		{"SELECT 1", "xml", "format"},
		{"BEGIN", ExportCSV, "Transaction"},
		{"SELECT nope FROM v", ExportCSV, "no such column"},
		{"", ExportCSV, ""},
	} {
		var b bytes.Buffer
		_, err := e.ExportQuery(ctx, "d", Query{SQL: c.sql}, c.format, &b)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) || b.Len() != 0 {
			t.Fatalf("%q as %s: %v (wrote %q)", c.sql, c.format, err, b.String())
		}
	}
	_, err := e.ExportQuery(ctx, "nope", Query{SQL: "SELECT 1"}, ExportCSV, &bytes.Buffer{})
	wantErr(t, err, ErrNotFound)
}

// cancelWriter cancels ctx on its first write.
type cancelWriter struct {
	cancel context.CancelFunc
	n      int
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.cancel()
	w.n += len(p)
	return len(p), nil
}

// TestExportQueryCancelStopsStatement: cancelling the context interrupts
// the statement; the export stops long before its end and the reader goes
// back to the pool.
func TestExportQueryCancelStopsStatement(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 200000) SELECT x FROM c")
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelWriter{cancel: cancel}
	n, err := e.ExportQuery(ctx, "d", Query{SQL: "SELECT x FROM big"}, ExportNDJSON, w)
	wantErr(t, err, context.Canceled)
	if n >= 200000 {
		t.Fatalf("%d rows exported after cancelling", n)
	}
	for i := 0; i < 8; i++ { // more than the reader pool: none was leaked
		exec(t, e, "d", "SELECT count(*) FROM big")
	}
}
