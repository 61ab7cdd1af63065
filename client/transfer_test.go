package client_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// rows reads every row of a query for comparison.
func rows(t *testing.T, c *client.Client, db, sql string) [][]any {
	t.Helper()
	return exec(t, c, db, sql).Rows
}

// seedItems fills db with a table whose values need care in CSV: NULL in
// a numeric column, unicode, quotes, commas and newlines.
func seedItems(t *testing.T, c *client.Client, db string) {
	t.Helper()
	spawn(t, c, db)
	exec(t, c, db, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, qty INTEGER)")
	exec(t, c, db, `INSERT INTO items (name, price, qty) VALUES
		('widget', 6363.0, 9223372036854775807),
		('gädget, "quoted"', -0.5, NULL),
		('two
lines', NULL, -1)`)
}

func TestExportCSVImportRoundTrip(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		seedItems(t, c, "src")
		var buf bytes.Buffer
		var last int64
		n, err := c.ExportCSV(ctx, "src", "items", &buf, client.WithProgress(func(b int64) { last = b }))
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) || last != n || !strings.HasPrefix(buf.String(), "id,name,price,qty\r\n") {
			t.Fatalf("n=%d len=%d progress=%d body=%q", n, buf.Len(), last, buf.String())
		}

		spawn(t, c, "dst")
		exec(t, c, "dst", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL, qty INTEGER)")
		res, err := c.ImportCSV(ctx, "dst", bytes.NewReader(buf.Bytes()), client.ImportCSVOptions{Table: "items", NoCreate: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.RowsImported != 3 || res.Created || res.Table != "items" || len(res.Columns) != 4 || res.Message == "" {
			t.Errorf("import = %+v", res)
		}
		const q = "SELECT id, name, price, qty, typeof(price), typeof(qty) FROM items ORDER BY id"
		if got, want := rows(t, c, "dst", q), rows(t, c, "src", q); !reflect.DeepEqual(got, want) {
			t.Errorf("rows differ:\n got %v\nwant %v", got, want)
		}
	})
}

func TestImportCSVCreatesTableWithOptions(t *testing.T) {
	c := embeddedClient(t)
	ctx := ctxT(t)
	spawn(t, c, "d")
	// tab-separated, no header: a table with inferred types, columns c1, c2
	res, err := c.ImportCSV(ctx, "d", strings.NewReader("1\tapple\n2\tpear\n"), client.ImportCSVOptions{Table: "fruit", NoHeader: true, Delimiter: '\t'})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.RowsImported != 2 || len(res.Columns) != 2 || res.Columns[0].Type != "INTEGER" {
		t.Errorf("import = %+v", res)
	}
	got := rows(t, c, "d", "SELECT * FROM fruit ORDER BY 1")
	if want := [][]any{{int64(1), "apple"}, {int64(2), "pear"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %v", got)
	}
	// NoCreate on a missing table fails and creates nothing
	_, err = c.ImportCSV(ctx, "d", strings.NewReader("a\n1\n"), client.ImportCSVOptions{Table: "nope", NoCreate: true})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		t.Errorf("no-create into a missing table: %v", err)
	}
	if _, err := c.ImportCSV(ctx, "d", strings.NewReader("a\n"), client.ImportCSVOptions{}); err == nil {
		t.Error("import without a table name succeeded")
	}
	if _, err := c.ImportCSV(ctx, "d", strings.NewReader("a\n"), client.ImportCSVOptions{Table: "x", Delimiter: '"'}); err == nil {
		t.Error("quote as delimiter accepted")
	}
}

func TestExportJSONAndNDJSON(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		seedItems(t, c, "j")
		var arr, nd bytes.Buffer
		if _, err := c.ExportJSON(ctx, "j", "items", false, &arr); err != nil {
			t.Fatal(err)
		}
		var objs []map[string]any
		if err := json.Unmarshal(arr.Bytes(), &objs); err != nil || len(objs) != 3 || objs[0]["name"] != "widget" {
			t.Fatalf("JSON export %q: %v", arr.String(), err)
		}
		if _, err := c.ExportJSON(ctx, "j", "items", true, &nd); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(nd.String(), "\n"), "\n")
		if len(lines) != 3 || !json.Valid([]byte(lines[2])) {
			t.Errorf("NDJSON export %q", nd.String())
		}
	})
}

func TestSQLDumpImportRoundTrip(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		seedItems(t, c, "src")
		exec(t, c, "src", "CREATE INDEX items_name ON items(name)")
		exec(t, c, "src", "CREATE VIEW cheap AS SELECT name FROM items WHERE price < 10")
		exec(t, c, "src", "CREATE TABLE blobs (b BLOB)")
		exec(t, c, "src", "INSERT INTO blobs VALUES (x'00ff10'), (NULL)")
		var dump bytes.Buffer
		n, err := c.ExportSQL(ctx, "src", &dump)
		if err != nil || n == 0 {
			t.Fatalf("dump: %d, %v", n, err)
		}
		spawn(t, c, "dst")
		var sent int64
		res, err := c.ImportSQL(ctx, "dst", io.NopCloser(&dump), client.WithProgress(func(b int64) { sent = b }))
		if err != nil {
			t.Fatal(err)
		}
		if res.Statements == 0 || sent != n {
			t.Errorf("import = %+v, sent %d of %d bytes", res, sent, n)
		}
		for _, q := range []string{
			"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
			"SELECT * FROM items ORDER BY id",
			"SELECT b FROM blobs ORDER BY rowid",
			"SELECT * FROM cheap",
		} {
			if got, want := rows(t, c, "dst", q), rows(t, c, "src", q); !reflect.DeepEqual(got, want) {
				t.Errorf("%s differs:\n got %v\nwant %v", q, got, want)
			}
		}
	})
}

func TestImportSQLErrorRollsBack(t *testing.T) {
	c := embeddedClient(t)
	spawn(t, c, "d")
	_, err := c.ImportSQL(ctxT(t), "d", strings.NewReader("CREATE TABLE a(x);\nINSERT INTO a VALUES (1);\nINSERT INTO nope VALUES (2);"))
	if !client.IsSQLError(err) || !strings.Contains(err.Error(), "statement 3") {
		t.Fatalf("want SQL error naming statement 3, got %v", err)
	}
	if got := rows(t, c, "d", "SELECT count(*) FROM sqlite_master"); got[0][0] != int64(0) {
		t.Errorf("failed script left %v objects", got[0][0])
	}
}

func TestBackupModifyRestore(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		seedItems(t, c, "b")
		const q = "SELECT * FROM items ORDER BY id"
		before := rows(t, c, "b", q)
		bk, err := c.Backup(ctx, "b")
		if err != nil {
			t.Fatal(err)
		}
		if bk.DBName != "b" || bk.Name == "" || bk.SizeBytes <= 0 || bk.CreatedAt.IsZero() || bk.Message == "" {
			t.Errorf("backup = %+v", bk)
		}
		exec(t, c, "b", "DELETE FROM items WHERE id > 1")
		exec(t, c, "b", "INSERT INTO items (name) VALUES ('later')")

		list, err := c.Backups(ctx, "b")
		if err != nil || len(list) != 1 || list[0].Name != bk.Name || list[0].SizeBytes != bk.SizeBytes {
			t.Fatalf("backups = %+v, %v", list, err)
		}
		rs, err := c.Restore(ctx, "b", bk.Name)
		if err != nil {
			t.Fatal(err)
		}
		if rs.Name != bk.Name || rs.DBName != "b" {
			t.Errorf("restore = %+v", rs)
		}
		if got := rows(t, c, "b", q); !reflect.DeepEqual(got, before) {
			t.Errorf("after restore %v, want %v", got, before)
		}
	})
}

func TestTransferErrors(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "e")
		var buf bytes.Buffer
		_, err := c.ExportCSV(ctx, "e", "missing", &buf)
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || buf.Len() != 0 {
			t.Errorf("unknown table: %v (wrote %q)", err, buf.String())
		}
		if _, err := c.ExportSQL(ctx, "nope", &buf); !client.IsNotFound(err) {
			t.Errorf("unknown database: %v", err)
		}
		_, err = c.Restore(ctx, "e", "20200101T000000.000Z-0123abcd.db")
		if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || ae.Code != client.CodeBackupNotFound {
			t.Errorf("unknown backup: %v", err)
		}
		if _, err := c.ImportCSV(ctx, "nope", strings.NewReader("a\n1\n"), client.ImportCSVOptions{Table: "t"}); !client.IsNotFound(err) {
			t.Errorf("import into unknown database: %v", err)
		}
		if _, err := c.ExportCSV(ctx, "e", "", &buf); err == nil {
			t.Error("export without table succeeded")
		}
	})
}

// failingReader fails after handing out some bytes.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n > 0 {
		f.n = 0
		return copy(p, "a,b\n1,2\n"), nil
	}
	return 0, errors.New("disk on fire")
}

func TestImportReadFailureNamesInput(t *testing.T) {
	c := embeddedClient(t)
	spawn(t, c, "d")
	_, err := c.ImportCSV(ctxT(t), "d", &failingReader{n: 1}, client.ImportCSVOptions{Table: "t"})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("want the reader's error, got %v", err)
	}
	if got := rows(t, c, "d", "SELECT count(*) FROM sqlite_master"); got[0][0] != int64(0) {
		t.Error("a failed upload created a table")
	}
}

// heapWatcher discards what it is given and samples the live heap now and
// then, to show an export never sits in memory whole.
type heapWatcher struct {
	n, writes, peak uint64
	maxWrite        int
}

func (h *heapWatcher) Write(p []byte) (int, error) {
	h.n += uint64(len(p))
	h.maxWrite = max(h.maxWrite, len(p))
	if h.writes++; h.writes%64 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapAlloc)
	}
	return len(p), nil
}

func TestExportStreamsWithBoundedMemory(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "big")
		exec(t, c, "big", "CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT)")
		exec(t, c, "big", "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s LIMIT 120000) INSERT INTO t SELECT x, printf('%0200d', x) FROM s")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		h := &heapWatcher{}
		n, err := c.ExportCSV(ctx, "big", "t", h)
		if err != nil {
			t.Fatal(err)
		}
		const size = 120000 * 200
		if n < size || h.n != uint64(n) {
			t.Fatalf("exported %d bytes, writer saw %d", n, h.n)
		}
		grew := h.peak - min(h.peak, base)
		t.Logf("export of %d MB: heap peaked %d MB above the start, largest write %d bytes", n>>20, grew>>20, h.maxWrite)
		if h.writes < 64 || grew > size/2 || h.maxWrite > 1<<20 {
			t.Errorf("not streamed: %d writes, heap grew %d MB", h.writes, grew>>20)
		}
	})
}

func TestTransfersUnsupportedOnMK1(t *testing.T) {
	c := newMK1Client(t)
	ctx := ctxT(t)
	spawn(t, c, "x")
	var buf bytes.Buffer
	checks := map[string]func() error{
		"export csv":  func() error { _, err := c.ExportCSV(ctx, "x", "t", &buf); return err },
		"export json": func() error { _, err := c.ExportJSON(ctx, "x", "t", true, &buf); return err },
		"export sql":  func() error { _, err := c.ExportSQL(ctx, "x", &buf); return err },
		"export query": func() error {
			_, err := c.ExportQuery(ctx, "x", client.ExportQueryRequest{SQL: "SELECT 1"}, &buf)
			return err
		},
		"import csv": func() error {
			_, err := c.ImportCSV(ctx, "x", strings.NewReader("a\n"), client.ImportCSVOptions{Table: "t"})
			return err
		},
		"import sql": func() error { _, err := c.ImportSQL(ctx, "x", strings.NewReader("SELECT 1")); return err },
		"backup":     func() error { _, err := c.Backup(ctx, "x"); return err },
		"backups":    func() error { _, err := c.Backups(ctx, "x"); return err },
		"restore":    func() error { _, err := c.Restore(ctx, "x", "b"); return err },
		"create key": func() error {
			_, err := c.CreateKey(ctx, client.NewKey{Name: "k", Role: client.RoleReadOnly})
			return err
		},
		"list keys":  func() error { _, err := c.ListKeys(ctx); return err },
		"revoke key": func() error { _, err := c.RevokeKey(ctx, "id"); return err },
		"audit":      func() error { _, err := c.Audit(ctx, client.AuditQuery{}); return err },
	}
	for name, call := range checks {
		if err := call(); !errors.Is(err, client.ErrUnsupported) {
			t.Errorf("%s: want ErrUnsupported, got %v", name, err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

func TestFormatFromPath(t *testing.T) {
	for in, want := range map[string]string{
		"a.csv": "csv", "dir.x/A.TSV": "csv", "x.json": "json", "x.jsonl": "ndjson", "x.ndjson": "ndjson",
		"dump.sql": "sql", "noext": "", "dir.sql/file": "", "x.txt": "", "-": "",
	} {
		if got := client.FormatFromPath(in); got != want {
			t.Errorf("FormatFromPath(%q) = %q, want %q", in, got, want)
		}
	}
}
