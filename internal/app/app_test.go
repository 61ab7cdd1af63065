package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/internal/resultfile"
)

// startShop opens the real embedded backend over a temporary data
// directory with database shop holding two items.
func startShop(t *testing.T) *client.Client {
	t.Helper()
	b, err := embedded.Open(t.TempDir(), embedded.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	c := client.New(embedded.BaseURL, b.ClientOptions()...)
	ctx := context.Background()
	if _, err := c.Spawn(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)",
		"INSERT INTO items (name, qty) VALUES ('widget', 3), ('gädget, \"x\"', NULL)",
	} {
		if _, err := c.Query(ctx, "shop", client.QueryRequest{SQL: sql}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func rows(t *testing.T, c *client.Client, db, sql string) [][]any {
	t.Helper()
	res, err := c.Query(context.Background(), db, client.QueryRequest{SQL: sql})
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows
}

// onlyFile fails unless dir holds exactly the named files (no temporary
// part left over).
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

func TestWriteFileReplacesOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	n, err := WriteFile(path, KeepExisting, func(w io.Writer) (int64, error) {
		k, err := io.WriteString(w, "first")
		return int64(k), err
	})
	if err != nil || n != 5 {
		t.Fatalf("first write: %d, %v", n, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 as a shell gives", st.Mode().Perm())
	}

	// not asked to replace: refused, the file untouched
	_, err = WriteFile(path, KeepExisting, func(w io.Writer) (int64, error) {
		t.Error("fn ran although the file exists")
		return 0, nil
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("existing file: %v, want ErrExists", err)
	}

	// a file that appears while the new one is written is not clobbered
	late := filepath.Join(dir, "late.txt")
	_, err = WriteFile(late, KeepExisting, func(w io.Writer) (int64, error) {
		os.WriteFile(late, []byte("theirs"), 0o644)
		k, err := io.WriteString(w, "mine")
		return int64(k), err
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("late file: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(late); string(b) != "theirs" {
		t.Fatalf("the late file was clobbered: %q", b)
	}
	os.Remove(late)

	// a failing writer leaves the old file whole and no temporary part
	_, err = WriteFile(path, ReplaceExisting, func(w io.Writer) (int64, error) {
		io.WriteString(w, "half of the sec")
		return 15, errors.New("the gateway went away")
	})
	if err == nil || !strings.Contains(err.Error(), "went away") {
		t.Fatalf("failure swallowed: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Fatalf("a failed write changed the file: %q", b)
	}
	onlyFiles(t, dir, "out.txt")

	// replacing keeps the file's permissions, and writes through a link
	os.Chmod(path, 0o600)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("out.txt", link); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFile(link, ReplaceExisting, func(w io.Writer) (int64, error) {
		k, err := io.WriteString(w, "second")
		return int64(k), err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "second" {
		t.Fatalf("target holds %q", b)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after replace, want 0600 kept", st.Mode().Perm())
	}

	if _, err := WriteFile(dir, ReplaceExisting, func(io.Writer) (int64, error) { return 0, nil }); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := WriteFile(filepath.Join(dir, "missing", "x.csv"), ReplaceExisting, func(io.Writer) (int64, error) { return 0, nil }); err == nil ||
		!strings.Contains(err.Error(), "creating "+filepath.Join(dir, "missing", "x.csv")+": no such file or directory") {
		t.Errorf("missing directory: %v", err)
	}
}

// moved from internal/resultfile with the writer it tested
func TestWriteResultFile(t *testing.T) {
	cols := []client.Column{{Name: "id", Type: "INTEGER"}, {Name: "name", Type: "TEXT"}}
	data := [][]any{{int64(1), "alice"}, {int64(2), nil}, {int64(3), "a,\"b\"\nc"}}
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	n, err := WriteResultFile(path, ReplaceExisting, cols, resultfile.FromRows(data))
	if err != nil || n != 3 {
		t.Fatalf("WriteResultFile = %d, %v", n, err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !json.Valid(b) {
		t.Fatalf("file: %v valid=%v", err, json.Valid(b))
	}
	// A failing source leaves no file behind, and no temp file either.
	bad := filepath.Join(dir, "bad.csv")
	if _, err := WriteResultFile(bad, ReplaceExisting, cols, func(int, int) ([][]any, bool, error) { return nil, false, errors.New("x") }); err == nil {
		t.Fatal("error swallowed")
	}
	onlyFiles(t, dir, "out.json")
	if _, err := WriteResultFile(filepath.Join(dir, "noext"), ReplaceExisting, cols, resultfile.FromRows(data)); err == nil {
		t.Fatal("missing extension accepted")
	}
}

func TestFormatRules(t *testing.T) {
	for path, want := range map[string]string{"a.csv": CSV, "A.JSON": JSON, "a.jsonl": NDJSON, "a.ndjson": NDJSON, " db.sql ": SQL, "a.txt": "", "noext": ""} {
		if got, err := ExportFormatFromPath(path); got != want || err != nil {
			t.Errorf("ExportFormatFromPath(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	if got, err := ExportFormatFromPath("rows.TSV"); got != "" || !errors.Is(err, ErrTSVExport) {
		t.Errorf(".tsv export: %q, %v", got, err)
	}
	for path, want := range map[string]string{"a.csv": CSV, "a.tsv": CSV, "a.sql": SQL, "a.json": "", "a.ndjson": ""} {
		if got := ImportFormatFromPath(path); got != want {
			t.Errorf("ImportFormatFromPath(%q) = %q, want %q", path, got, want)
		}
	}
	if DelimiterFor("x.Tsv") != '\t' || DelimiterFor("x.csv") != 0 {
		t.Error("the delimiter a name implies")
	}
	if got := ExportFormats(); !reflect.DeepEqual(got, []string{CSV, JSON, NDJSON, SQL}) {
		t.Errorf("ExportFormats = %v", got)
	}
	if !WholeDatabase(SQL) || WholeDatabase(CSV) || CanExport("xlsx") || CanImport(JSON) {
		t.Error("format table")
	}
}

// A result on screen is written as .csv or .json, from the same table as
// exports: a .tsv is refused with the exports' reason, the rest say what to type.
func TestResultFormatFromPath(t *testing.T) {
	for path, want := range map[string]string{"out.csv": CSV, "a/b.JSON": JSON, " x.Csv ": CSV} {
		if got, err := ResultFormatFromPath(path); err != nil || got != want {
			t.Errorf("ResultFormatFromPath(%q) = %q, %v", path, got, err)
		}
	}
	for path, want := range map[string]string{
		"out":        "add .csv or .json to the file name to pick the format",
		"out.xlsx":   `unknown extension ".xlsx": use .csv or .json`,
		"out.ndjson": `unknown extension ".ndjson": use .csv or .json`,
		"out.sql":    `unknown extension ".sql": use .csv or .json`,
		"out.TSV":    ErrTSVExport.Error(),
		"dir.csv/x":  "add .csv or .json to the file name to pick the format",
	} {
		if _, err := ResultFormatFromPath(path); err == nil || err.Error() != want {
			t.Errorf("ResultFormatFromPath(%q): %v, want %q", path, err, want)
		}
	}
	if got := OrList(ExportExtensions()); got != ".csv, .json, .ndjson or .sql" {
		t.Errorf("export extensions %q", got)
	}
	if got := OrList(ImportExtensions()); got != ".csv, .tsv or .sql" {
		t.Errorf("import extensions %q", got)
	}
}

func TestExpandPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if got, err := ExpandPath(" ~/out.csv "); err != nil || got != filepath.Join(home, "out.csv") {
		t.Errorf("~/out.csv = %q, %v", got, err)
	}
	if got, _ := ExpandPath("rel.csv"); !filepath.IsAbs(got) {
		t.Errorf("relative path stayed %q", got)
	}
	if got, _ := ExpandPath("~user/x"); strings.HasPrefix(got, home+string(filepath.Separator)+"user") {
		t.Errorf("~user expanded as ~/: %q", got)
	}
	if _, err := ExpandPath("  "); err == nil {
		t.Error("empty path accepted")
	}
}

// A null string on a query's export is refused before anything is sent or
// written: the query route writes NULL as an empty field, so the marker
// would be dropped silently.
func TestExportQueryRefusesNull(t *testing.T) {
	c := startShop(t)
	path := filepath.Join(t.TempDir(), "rows.csv")
	x := Export{DB: "shop", Query: "SELECT * FROM items", Format: CSV, Null: "NULL"}
	if _, err := ExportFile(context.Background(), c, path, KeepExisting, x, nil); !errors.Is(err, ErrQueryNull) {
		t.Fatalf("export: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a refused export touched the file: %v", err)
	}
	if _, err := ExportTo(context.Background(), c, io.Discard, x, nil); !errors.Is(err, ErrQueryNull) {
		t.Fatalf("export to a writer: %v", err)
	}
	x.Null = ""
	var b strings.Builder
	if _, err := ExportTo(context.Background(), c, &b, x, nil); err != nil || !strings.Contains(b.String(), "widget") {
		t.Fatalf("without --null: %v %q", err, b.String())
	}
}

// An export to a file reports its progress as events, ending with the
// bytes written and one line per row plus the header; the file is the
// export byte for byte.
func TestExportFileProgressAndBytes(t *testing.T) {
	c := startShop(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "items.csv")
	var events []Progress
	x := Export{DB: "shop", Table: "items", Format: CSV, Null: "NULL"}
	n, err := ExportFile(context.Background(), c, path, KeepExisting, x, func(p Progress) { events = append(events, p) })
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "id,name,qty\r\n1,widget,3\r\n2,\"gädget, \"\"x\"\"\",NULL\r\n"
	if string(got) != want || n != int64(len(want)) {
		t.Fatalf("file %q (%d bytes), want %q", got, n, want)
	}
	if len(events) == 0 {
		t.Fatal("no progress event")
	}
	last := events[len(events)-1]
	if last.Bytes != n || last.Lines != 3 {
		t.Errorf("last event %+v, want %d bytes and 3 lines", last, n)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Bytes < events[i-1].Bytes {
			t.Fatalf("progress went back: %+v", events)
		}
	}

	// a query's rows, as NDJSON, to stdout-like writer
	var buf bytes.Buffer
	q := Export{DB: "shop", Query: "SELECT name FROM items WHERE qty > ?", Params: []any{1}, Format: NDJSON}
	if _, err := ExportTo(context.Background(), c, &buf, q, nil); err != nil || buf.String() != "{\"name\":\"widget\"}\n" {
		t.Fatalf("query export %q, %v", buf.String(), err)
	}
	// the query export never writes
	w := Export{DB: "shop", Query: "DELETE FROM items", Format: CSV}
	if _, err := ExportFile(context.Background(), c, filepath.Join(dir, "w.csv"), KeepExisting, w, nil); err == nil {
		t.Fatal("a writing statement was exported")
	}
	if got := rows(t, c, "shop", "SELECT count(*) FROM items"); got[0][0] != int64(2) {
		t.Fatalf("the export wrote: %v", got)
	}
	onlyFiles(t, dir, "items.csv")
}

// A cancelled export keeps nothing and leaves the older file as it was.
func TestExportCancelledKeepsOldFile(t *testing.T) {
	c := startShop(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.sql")
	os.WriteFile(path, []byte("old"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ExportFile(ctx, c, path, ReplaceExisting, Export{DB: "shop", Format: SQL}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("file now %q", b)
	}
	onlyFiles(t, dir, "shop.sql")
	if _, err := ExportTo(context.Background(), c, io.Discard, Export{DB: "shop", Format: "xlsx"}, nil); err == nil {
		t.Error("unknown format accepted")
	}
}

// A .tsv file is imported with tabs, its size known to the progress
// events; a SQL dump rebuilds the database in another one.
func TestImportFileTSVAndDumpRoundTrip(t *testing.T) {
	c := startShop(t)
	ctx := context.Background()
	dir := t.TempDir()
	tsv := filepath.Join(dir, "fruit.tsv")
	body := "name\tkg\napple, red\t2\npear\t5\n"
	os.WriteFile(tsv, []byte(body), 0o600)
	var last Progress
	res, err := ImportFile(ctx, c, tsv, Import{DB: "shop", Format: CSV, CSV: client.ImportCSVOptions{Table: "fruit"}}, func(p Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if res.CSV == nil || res.CSV.RowsImported != 2 || !res.CSV.Created || res.Script != nil {
		t.Fatalf("import result %+v", res)
	}
	if last.Total != int64(len(body)) || last.Bytes != int64(len(body)) {
		t.Errorf("last event %+v, want %d of %d", last, len(body), len(body))
	}
	if got := rows(t, c, "shop", "SELECT name, kg FROM fruit ORDER BY kg"); !reflect.DeepEqual(got, [][]any{{"apple, red", int64(2)}, {"pear", int64(5)}}) {
		t.Fatalf("rows %v", got)
	}

	dump := filepath.Join(dir, "shop.sql")
	if _, err := ExportFile(ctx, c, dump, KeepExisting, Export{DB: "shop", Format: SQL}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Spawn(ctx, "copy"); err != nil {
		t.Fatal(err)
	}
	sres, err := ImportFile(ctx, c, dump, Import{DB: "copy", Format: SQL}, nil)
	if err != nil || sres.Script == nil || sres.Script.Statements == 0 {
		t.Fatalf("script import %+v, %v", sres, err)
	}
	for _, q := range []string{"SELECT * FROM items ORDER BY id", "SELECT * FROM fruit ORDER BY name"} {
		if a, b := rows(t, c, "shop", q), rows(t, c, "copy", q); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: copy %v, want %v", q, b, a)
		}
	}

	// the file's problems are said before anything is sent
	if _, err := ImportFile(ctx, c, filepath.Join(dir, "none.csv"), Import{DB: "shop", Format: CSV}, nil); err == nil ||
		!strings.Contains(err.Error(), "opening "+filepath.Join(dir, "none.csv")+": no such file or directory") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ImportFile(ctx, c, dir, Import{DB: "shop", Format: SQL}, nil); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

func TestBackupRestore(t *testing.T) {
	c := startShop(t)
	ctx := context.Background()
	b, err := Backup(ctx, c, "shop")
	if err != nil || b.Name == "" {
		t.Fatalf("backup %+v, %v", b, err)
	}
	rows(t, c, "shop", "DELETE FROM items")
	if _, err := Restore(ctx, c, "shop", b.Name); err != nil {
		t.Fatal(err)
	}
	if got := rows(t, c, "shop", "SELECT count(*) FROM items"); got[0][0] != int64(2) {
		t.Fatalf("after restore %v", got)
	}
	if _, err := Restore(ctx, c, "shop", "20200101T000000.000Z-0123abcd.db"); err == nil {
		t.Error("unknown backup restored")
	}
}

func TestFork(t *testing.T) {
	c := startShop(t)
	ctx := context.Background()
	r, err := Fork(ctx, c, "shop", "shop2", "")
	if err != nil || r.DBName != "shop2" {
		t.Fatalf("fork %+v, %v", r, err)
	}
	rows(t, c, "shop", "DELETE FROM items")
	if got := rows(t, c, "shop2", "SELECT count(*) FROM items"); got[0][0] != int64(2) {
		t.Errorf("the fork followed its source: %v", got)
	}
	if _, err := Fork(ctx, c, "shop", "shop2", ""); err == nil {
		t.Error("forked over an existing database")
	}
}
