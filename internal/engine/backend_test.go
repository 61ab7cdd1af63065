package engine

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSQLiteThroughTheSeam drives a real SQLite database through the
// Backend/Database interfaces: the adapter reaches the engine's own paths.
func TestSQLiteThroughTheSeam(t *testing.T) {
	e := openTest(t, nil)
	ctx := context.Background()
	b, err := e.backendNamed("")
	if err != nil || b.Name() != BackendSQLite {
		t.Fatalf("backendNamed(\"\") = %v, %v; want the sqlite backend", b, err)
	}
	inst, _, err := e.Spawn(ctx, "seam", BackendSQLite)
	if err != nil {
		t.Fatal(err)
	}
	if inst.Backend != BackendSQLite {
		t.Fatalf("backend = %q", inst.Backend)
	}
	var d Database
	if d, err = b.Open(ctx, inst, e.limits()); err != nil {
		t.Fatal(err)
	}
	if err := d.CreateTable(ctx, "t", []ColumnDef{{Name: "id", Type: "INTEGER", PrimaryKey: true}, {Name: "v", Type: "TEXT"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := d.InsertRows(ctx, "t", []string{"v"}, [][]any{{"a"}, {"b"}}); err != nil || n != 2 {
		t.Fatalf("InsertRows = %d, %v", n, err)
	}
	res, err := d.SelectRows(ctx, "t", map[string]string{"v": "b"}, 10, 0)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(2) {
		t.Fatalf("SelectRows = %+v, %v", res, err)
	}
	res, err = d.Exec(ctx, Query{SQL: "SELECT count(*) FROM t"})
	if err != nil || res.Rows[0][0] != int64(2) || res.Kind != KindRead {
		t.Fatalf("Exec = %+v, %v", res, err)
	}
	var dump bytes.Buffer
	if _, err := d.Backup(ctx, &dump); err != nil || !strings.Contains(dump.String(), "CREATE TABLE") {
		t.Fatalf("Backup = %q, %v", dump.String(), err)
	}
	if st, err := d.Stats(ctx); err != nil || st.SizeBytes == 0 {
		t.Fatalf("Stats = %+v, %v", st, err)
	}
}

// TestSpawnUnknownBackendNamesAvailable: a backend the engine was not given
// is refused with the list of those it has.
func TestSpawnUnknownBackendNamesAvailable(t *testing.T) {
	e := openTest(t, nil)
	_, _, err := e.Spawn(context.Background(), "x", BackendPostgres)
	wantBadInput(t, err, `Unsupported backend "postgres"; available: "sqlite".`)
	if _, err := e.Get(context.Background(), "x"); err == nil {
		t.Fatal("a refused spawn left a catalog entry")
	}
}
