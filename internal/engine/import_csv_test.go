package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func importCSV(e *Engine, db, table, body string, opt CSVOptions) (ImportResult, error) {
	return e.ImportCSV(context.Background(), db, table, strings.NewReader(body), opt)
}

var withHeader = CSVOptions{Header: true, Create: true}

func TestImportCSVInfersTypes(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	body := "\uFEFFid,price,name,zip,big,empty,mixed\r\n" +
		"1,2.5,apple,007,12345678901234567890,,1\r\n" +
		"-2,3,\"pear, green\",01234,1,,x\r\n" +
		"3,1e3,\"multi\nline\",99,2,,2.0\r\n"
	res, err := importCSV(e, "d", "fruit", body, withHeader)
	if err != nil {
		t.Fatal(err)
	}
	want := []Column{{"id", "INTEGER"}, {"price", "REAL"}, {"name", "TEXT"}, {"zip", "TEXT"}, {"big", "TEXT"}, {"empty", "TEXT"}, {"mixed", "TEXT"}}
	if !res.Created || res.Rows != 3 || res.Table != "fruit" || !reflect.DeepEqual(res.Columns, want) {
		t.Fatalf("result = %+v", res)
	}
	got := exec(t, e, "d", `SELECT id, typeof(id), price, typeof(price), name, zip, big, empty FROM fruit ORDER BY rowid`).Rows
	// an unquoted empty field is NULL (PostgreSQL COPY convention)
	wantRows := [][]any{
		{int64(1), "integer", 2.5, "real", "apple", "007", "12345678901234567890", nil},
		{int64(-2), "integer", 3.0, "real", "pear, green", "01234", "1", nil},
		{int64(3), "integer", 1000.0, "real", "multi\nline", "99", "2", nil},
	}
	if !reflect.DeepEqual(got, wantRows) {
		t.Fatalf("rows = %v\nwant %v", got, wantRows)
	}
}

func TestImportCSVNoHeaderAndDelimiter(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	res, err := importCSV(e, "d", "t", "1;x\n2;\n", CSVOptions{Create: true, Delimiter: ';'})
	if err != nil || res.Rows != 2 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	if want := []Column{{"c1", "INTEGER"}, {"c2", "TEXT"}}; !reflect.DeepEqual(res.Columns, want) {
		t.Fatalf("columns = %v", res.Columns)
	}
	if _, err := importCSV(e, "d", "tabs", "a\tb\n1\t2\n", CSVOptions{Header: true, Create: true, Delimiter: '\t'}); err != nil {
		t.Fatal(err)
	}
	if got := exec(t, e, "d", "SELECT a + b FROM tabs").Rows[0][0]; got != int64(3) {
		t.Fatalf("a + b = %v", got)
	}
}

func TestImportCSVIntoExistingTable(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(id INTEGER PRIMARY KEY, Name TEXT NOT NULL, qty INTEGER DEFAULT 7, note TEXT)")
	// header picks some columns, case-insensitively, in its own order
	res, err := importCSV(e, "d", "t", "name,ID,qty\nbolt,10,\nnut,11,3\n", withHeader)
	if err != nil || res.Created || res.Rows != 2 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	got := exec(t, e, "d", "SELECT id, name, qty, note FROM t ORDER BY id").Rows
	// an empty field in an INTEGER column is NULL, not ''
	if want := [][]any{{int64(10), "bolt", nil, nil}, {int64(11), "nut", int64(3), nil}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %v", got)
	}
	// without a header, every column in order
	if _, err := importCSV(e, "d", "t", "12,washer,1,n\n", CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = importCSV(e, "d", "t", "12,washer\n", CSVOptions{})
	wantBadInput(t, err, "The CSV has 2 fields per row but table 't' has 4 columns; send a header row to fill some of them.")
	_, err = importCSV(e, "d", "t", "id,colour\n1,red\n", withHeader)
	wantBadInput(t, err, "CSV header: table 't' has no column 'colour'.")
	_, err = importCSV(e, "d", "absent", "a\n1\n", CSVOptions{Header: true})
	wantBadInput(t, err, "No such table: absent (pass create=true to create it).")
}

// TestImportCSVAfterSample covers rows past the inference sample: one that
// does not fit the inferred INTEGER is kept as text (SQLite's affinity),
// and a malformed one far down still names its line.
func TestImportCSVAfterSample(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	var b strings.Builder
	b.WriteString("n\n")
	for i := 1; i <= csvSampleRows+500; i++ {
		if i == csvSampleRows+100 {
			b.WriteString("abc\n")
			continue
		}
		fmt.Fprintf(&b, "%d\n", i)
	}
	res, err := importCSV(e, "d", "t", b.String(), withHeader)
	if err != nil || res.Rows != csvSampleRows+500 || res.Columns[0].Type != "INTEGER" {
		t.Fatalf("import = %+v, %v", res, err)
	}
	got := exec(t, e, "d", "SELECT typeof(n), count(*) FROM t GROUP BY 1 ORDER BY 1").Rows
	if want := [][]any{{"integer", int64(csvSampleRows + 499)}, {"text", int64(1)}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("types = %v", got)
	}
	_, err = importCSV(e, "d", "t2", b.String()+"1,2\n", withHeader)
	wantBadInput(t, err, fmt.Sprintf("CSV line %d: wrong number of fields: 2, expected 1 like the first row. The first row has a single field: is ',' the right delimiter?", csvSampleRows+502))
}

// errAfter is a body that fails after n bytes: a client that went away.
type errAfter struct {
	r io.Reader
	n int
}

func (r *errAfter) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if len(p) > r.n {
		p = p[:r.n]
	}
	n, err := r.r.Read(p)
	r.n -= n
	return n, err
}

// TestImportCSVBadInputKeepsNothing feeds broken CSV to a new table and to
// an existing one: each fails with a clear error naming the line, and the
// database is exactly as before (same dump).
func TestImportCSVBadInputKeepsNothing(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a INTEGER NOT NULL, b TEXT)")
	exec(t, e, "d", "INSERT INTO t VALUES (1, 'kept')")
	before := dump(t, e, "d")
	var big strings.Builder
	big.WriteString("a,b\n")
	for i := range 3000 {
		fmt.Fprintf(&big, "%d,row %d\n", i, i)
	}
	cases := []struct {
		name, table, body string
		opt               CSVOptions
		want              string // in the error
	}{
		{"ragged", "n", "a,b\n1,2\n3\n", withHeader, "CSV line 3: wrong number of fields: 1, expected 2"},
		{"ragged existing", "t", "a,b\n1,x\n2,y,z\n", withHeader, "CSV line 3: wrong number of fields"},
		{"bare quote", "n", "a,b\n1,x\"y\n", withHeader, "CSV line 2, column 4: bare \" in non-quoted-field"},
		{"unterminated quote", "n", "a,b\n1,\"open\n2,3\n", withHeader, "CSV line 3"},
		{"invalid UTF-8", "n", "a,b\n1,ok\n2,\xff\xfe\n", withHeader, "CSV line 3, column 3: invalid UTF-8 in field 2"},
		{"invalid UTF-8 in header", "n", "a,\xff\n1,2\n", withHeader, "invalid UTF-8"},
		{"wrong delimiter", "n", "a;b\n1;2\n3,4;5\n", withHeader, "is ',' the right delimiter?"},
		{"constraint", "t", "a,b\n5,x\n,null a\n", withHeader, "NOT NULL constraint failed: t.a (CSV line 3)"},
		{"empty", "n", "", withHeader, "The CSV is empty"},
		{"duplicate header", "n", "a,A\n1,2\n", withHeader, "duplicate column name 'A'"},
		{"bad delimiter", "n", "a\n", CSVOptions{Delimiter: '"'}, "Invalid delimiter"},
		{"late error", "n", big.String() + "x,\"y\n", withHeader, "CSV line 3002"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := importCSV(e, "d", c.table, c.body, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
			if after := dump(t, e, "d"); after != before {
				t.Fatalf("database changed:\n%s", after)
			}
		})
	}
	t.Run("body stops midway", func(t *testing.T) {
		body := &errAfter{r: strings.NewReader(big.String()), n: len(big.String()) / 2}
		_, err := e.ImportCSV(context.Background(), "d", "n", body, withHeader)
		var re *ReadError
		if !errors.As(err, &re) || !errors.Is(err, io.ErrUnexpectedEOF) || re.Line < 1000 {
			t.Fatalf("err = %v, want a ReadError after line 1000", err)
		}
		if after := dump(t, e, "d"); after != before {
			t.Fatal("database changed")
		}
	})
}

func TestImportCSVHugeField(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	field := strings.Repeat("x", 4<<20)
	res, err := importCSV(e, "d", "t", "a,b\n1,\""+field+"\"\n", withHeader)
	if err != nil || res.Rows != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	if got := exec(t, e, "d", "SELECT length(b) FROM t").Rows[0][0]; got != int64(len(field)) {
		t.Fatalf("length = %v", got)
	}
}

func TestImportCSVRoundTripsExport(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE src(id INTEGER, r REAL, s TEXT)")
	exec(t, e, "d", `INSERT INTO src VALUES (1, 6363.0, 'a,"b"'), (2, 0.1, 'multi
line'), (3, 1e-7, 'ü')`)
	var b strings.Builder
	if _, err := e.ExportCSV(context.Background(), "d", "src", &b); err != nil {
		t.Fatal(err)
	}
	res, err := importCSV(e, "d", "dst", b.String(), withHeader)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Column{{"id", "INTEGER"}, {"r", "REAL"}, {"s", "TEXT"}}; !reflect.DeepEqual(res.Columns, want) {
		t.Fatalf("columns = %v", res.Columns)
	}
	a := exec(t, e, "d", "SELECT id, r, s FROM src ORDER BY id").Rows
	c := exec(t, e, "d", "SELECT id, r, s FROM dst ORDER BY id").Rows
	if !reflect.DeepEqual(a, c) {
		t.Fatalf("round trip:\n%v\n%v", a, c)
	}
}

// TestImportCSVFailureInsideBatch fails a row in the middle of a full
// batch, under each conflict resolution that aborts: the error names the
// row's line (the batch's lines for ROLLBACK) and nothing is kept, even
// when SQLite ends the transaction itself (ROLLBACK) or keeps a batch's
// earlier rows (FAIL).
func TestImportCSVFailureInsideBatch(t *testing.T) {
	for _, onConflict := range []string{"ABORT", "FAIL", "ROLLBACK"} {
		t.Run(onConflict, func(t *testing.T) {
			e := openTest(t, nil)
			spawn(t, e, "d")
			exec(t, e, "d", "CREATE TABLE t(id INTEGER PRIMARY KEY ON CONFLICT "+onConflict+", v TEXT)")
			exec(t, e, "d", "INSERT INTO t VALUES (0, 'kept')")
			before := dump(t, e, "d")
			var b strings.Builder
			b.WriteString("id,v\n")
			for i := 1; i <= 3*insertBatchRows; i++ {
				id := i
				if i == insertBatchRows+100 {
					id = 5 // duplicate of an earlier row, line insertBatchRows+101
				}
				fmt.Fprintf(&b, "%d,row\n", id)
			}
			_, err := importCSV(e, "d", "t", b.String(), withHeader)
			want := fmt.Sprintf("UNIQUE constraint failed: t.id (CSV line %d)", insertBatchRows+101)
			if onConflict == "ROLLBACK" {
				// SQLite rolled back the earlier batches with the failing one,
				// so the replay cannot single the row out: the batch's lines
				want = fmt.Sprintf("UNIQUE constraint failed: t.id (CSV lines %d-%d)", insertBatchRows+2, 2*insertBatchRows+1)
			}
			wantSQLError(t, err, want)
			if after := dump(t, e, "d"); after != before {
				t.Fatalf("database changed:\n%.300s", after)
			}
			exec(t, e, "d", "INSERT INTO t VALUES (1, 'writer still usable')")
		})
	}
}

func TestImportCSVValuesAreLiteralSafe(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	body := "a,b\n\"x'); DROP TABLE t; --\",\"nul\x00byte\"\n\"''\",\"\"\n"
	if _, err := importCSV(e, "d", "t", body, withHeader); err != nil {
		t.Fatal(err)
	}
	got := exec(t, e, "d", "SELECT a, b, typeof(b) FROM t ORDER BY rowid").Rows
	want := [][]any{{"x'); DROP TABLE t; --", "nul\x00byte", "text"}, {"''", "", "text"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %q", got)
	}
}

// TestCSVRoundTripNullsAndText exports a table with NULLs next to empty
// strings, emoji ZWJ sequences, ZWNJ Persian text, CRLF, lone CR and quotes,
// imports the file into a new table and checks the rows (values and types)
// and the bytes of a second export are identical, with the default null
// marker and with \N (where a text "\N" must stay text).
func TestCSVRoundTripNullsAndText(t *testing.T) {
	for _, null := range []string{"", `\N`} {
		t.Run("null="+null, func(t *testing.T) {
			e := openTest(t, nil)
			spawn(t, e, "d")
			exec(t, e, "d", "CREATE TABLE src(id INTEGER, s TEXT, n INTEGER, r REAL)")
			exec(t, e, "d", `INSERT INTO src VALUES
				(1, NULL, NULL, NULL),
				(2, '', 0, 0.0),
				(3, '👩`+"\u200d"+`💻 and 👨`+"\u200d"+`👩`+"\u200d"+`👧', 3, 6363.0),
				(4, 'می`+"\u200c"+`خواهم', -4, 1e-7),
				(5, 'crlf'||char(13,10)||'lf'||char(10)||'cr'||char(13)||'end', 5, 2.5),
				(6, 'say "hi", ok', 6, -0.5),
				(7, '\N', NULL, NULL),
				(8, ' ', NULL, 1.0)`)
			ctx := context.Background()
			var first strings.Builder
			if _, err := e.ExportCSVWith(ctx, "d", "src", &first, CSVExportOptions{Null: null}); err != nil {
				t.Fatal(err)
			}
			opt := withHeader
			opt.Null = null
			if _, err := importCSV(e, "d", "dst", first.String(), opt); err != nil {
				t.Fatal(err)
			}
			q := "SELECT id, s, typeof(s), n, typeof(n), r, typeof(r) FROM %s ORDER BY id"
			a := exec(t, e, "d", fmt.Sprintf(q, "src")).Rows
			b := exec(t, e, "d", fmt.Sprintf(q, "dst")).Rows
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("rows differ after the round trip:\n%q\n%q", a, b)
			}
			if a[0][2] != "null" || a[1][2] != "text" || b[6][1] != `\N` {
				t.Fatalf("NULL and '' not told apart: %q", b)
			}
			var second strings.Builder
			if _, err := e.ExportCSVWith(ctx, "d", "dst", &second, CSVExportOptions{Null: null}); err != nil {
				t.Fatal(err)
			}
			if first.String() != second.String() {
				t.Fatalf("second export differs:\n%q\n%q", first.String(), second.String())
			}
			if !strings.Contains(first.String(), "\"crlf\r\nlf\ncr\rend\"") {
				t.Fatalf("line breaks not byte-exact: %q", first.String())
			}
		})
	}
}

func TestCSVBadNullMarker(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t(a)")
	var b strings.Builder
	if _, err := e.ExportCSVWith(context.Background(), "d", "t", &b, CSVExportOptions{Null: `"`}); err == nil || b.Len() != 0 {
		t.Fatalf("export with a quote as null: %v, %q", err, b.String())
	}
	var bad *BadInputError
	if _, err := importCSV(e, "d", "t", "a\n1\n", CSVOptions{Header: true, Null: "a,b"}); !errors.As(err, &bad) {
		t.Fatalf("import with the delimiter in null: %v", err)
	}
}
