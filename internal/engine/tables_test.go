package engine

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestCreateTable(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "ct")
	ctx := context.Background()
	cols := []ColumnDef{
		{Name: "id", Type: "INTEGER", PrimaryKey: true},
		{Name: "name", Type: "VARCHAR(20)", NotNull: true, Default: "it's", HasDefault: true},
		{Name: "qty", Type: "DECIMAL(10, 2)", Default: int64(-5), HasDefault: true},
		{Name: "ratio", Type: "REAL", Default: 2.0, HasDefault: true},
		{Name: "flag", Type: "BOOLEAN", Default: true, HasDefault: true},
		{Name: "note", Type: "TEXT", Default: nil, HasDefault: true},
		{Name: "created", Type: "TIMESTAMP", Default: "CURRENT_TIMESTAMP", HasDefault: true},
		{Name: `we"ird`, Type: "text"},
	}
	if err := e.CreateTable(ctx, "ct", "items", cols); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	exec(t, e, "ct", "INSERT INTO items DEFAULT VALUES")
	res := exec(t, e, "ct", `SELECT id, name, qty, ratio, flag, note, typeof(created), "we""ird" FROM items`)
	want := []any{int64(1), "it's", int64(-5), 2.0, int64(1), nil, "text", nil}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Fatalf("defaults = %#v, want %#v", res.Rows[0], want)
	}
	err := e.CreateTable(ctx, "ct", "items", cols)
	wantSQLError(t, err, "table \"items\" already exists")

	bad := []struct {
		table string
		cols  []ColumnDef
		check func(error) bool
	}{
		{"", cols, func(err error) bool { return errors.Is(err, ErrInvalidIdentifier) }},
		{"t", []ColumnDef{{Name: "", Type: "TEXT"}}, func(err error) bool { return errors.Is(err, ErrInvalidIdentifier) }},
		{"t", []ColumnDef{{Name: "a\x00", Type: "TEXT"}}, func(err error) bool { return errors.Is(err, ErrInvalidIdentifier) }},
		{"t", []ColumnDef{{Name: "a", Type: "TEXT); DROP TABLE items; --"}}, isBadInput},
		{"t", []ColumnDef{{Name: "a", Type: "INT", Default: map[string]any{}, HasDefault: true}}, isBadInput},
		{"t", []ColumnDef{{Name: "a", Type: "INT"}, {Name: "A", Type: "INT"}}, isBadInput},
		{"t", nil, isBadInput},
	}
	for _, b := range bad {
		if err := e.CreateTable(ctx, "ct", b.table, b.cols); !b.check(err) {
			t.Errorf("CreateTable(%q, %+v) = %v", b.table, b.cols, err)
		}
	}
	// several primary key columns become one composite key
	err = e.CreateTable(ctx, "ct", "pair", []ColumnDef{{Name: "a", Type: "INT", PrimaryKey: true}, {Name: "b", Type: "INT", PrimaryKey: true}})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, e, "ct", "INSERT INTO pair VALUES (1, 1), (1, 2)")
	wantErr(t, e.CreateTable(ctx, "nope", "x", cols), ErrNotFound)
}

func isBadInput(err error) bool {
	var be *BadInputError
	return errors.As(err, &be)
}

func TestInsertAndSelectRows(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "rw")
	ctx := context.Background()
	exec(t, e, "rw", "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT UNIQUE, age INTEGER)")
	n, err := e.InsertRows(ctx, "rw", "p", []map[string]any{
		{"id": 1, "name": "ann", "age": 30},
		{"id": 2, "name": "bob", "age": 40.0},
		{"id": 3, "name": "cy", "age": nil},
	})
	if err != nil || n != 3 {
		t.Fatalf("InsertRows = %d, %v", n, err)
	}
	_, err = e.InsertRows(ctx, "rw", "p", nil)
	wantBadInput(t, err, "No rows provided for insertion.")
	_, err = e.InsertRows(ctx, "rw", "p", []map[string]any{{"id": 4}, {"name": "x"}})
	wantBadInput(t, err, "All rows must have the same columns.")
	_, err = e.InsertRows(ctx, "rw", "p", []map[string]any{{"id": 4, "name": "d"}, {"id": 5}})
	wantBadInput(t, err, "All rows must have the same columns.")
	// a constraint violation in the batch keeps none of it
	_, err = e.InsertRows(ctx, "rw", "p", []map[string]any{{"id": 10, "name": "new"}, {"id": 11, "name": "ann"}})
	wantSQLError(t, err, "UNIQUE constraint failed: p.name")
	if got := exec(t, e, "rw", "SELECT count(*) FROM p").Rows[0][0]; got != int64(3) {
		t.Fatalf("rows after failed batch = %v", got)
	}
	_, err = e.InsertRows(ctx, "rw", "missing", []map[string]any{{"a": 1}})
	wantSQLError(t, err, "no such table: missing")
	_, err = e.InsertRows(ctx, "nope", "p", nil)
	wantErr(t, err, ErrNotFound)

	res, err := e.SelectRows(ctx, "rw", "p", map[string]string{"age": "40"}, 0, 0)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][1] != "bob" {
		t.Fatalf("SelectRows(age=40) = %+v, %v", res, err)
	}
	res, err = e.SelectRows(ctx, "rw", "p", map[string]string{"name": "x' OR '1'='1"}, 0, 0)
	if err != nil || len(res.Rows) != 0 {
		t.Fatalf("injection attempt matched: %+v, %v", res, err)
	}
	res, err = e.SelectRows(ctx, "rw", "p", nil, 2, 0)
	if err != nil || len(res.Rows) != 2 || !res.HasMore || len(res.Columns) != 3 {
		t.Fatalf("SelectRows limit 2 = %+v, %v", res, err)
	}
	res, err = e.SelectRows(ctx, "rw", "p", nil, 2, 2)
	if err != nil || len(res.Rows) != 1 || res.HasMore {
		t.Fatalf("SelectRows offset 2 = %+v, %v", res, err)
	}
	_, err = e.SelectRows(ctx, "rw", "p", map[string]string{"1=1; --": "x"}, 0, 0)
	wantBadInput(t, err, "Unknown column '1=1; --' in filter.")
	// several filters: all must hold, each with its own value (a value
	// bound to the wrong column matches nothing)
	exec(t, e, "rw", `CREATE TABLE "we""ird" (a INTEGER, "b c" TEXT)`)
	exec(t, e, "rw", `INSERT INTO "we""ird" VALUES (1, 'x'), (1, 'y'), (2, 'x')`)
	res, err = e.SelectRows(ctx, "rw", `we"ird`, map[string]string{"b c": "x", "a": "1"}, 0, 0)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(1) || res.Rows[0][1] != "x" {
		t.Fatalf("SelectRows(a=1, b c=x) = %+v, %v", res, err)
	}
	res, err = e.SelectRows(ctx, "rw", `we"ird`, map[string]string{"b c": "y", "a": "2"}, 0, 0)
	if err != nil || len(res.Rows) != 0 {
		t.Fatalf("SelectRows(a=2, b c=y) = %+v, %v", res, err)
	}
	_, err = e.SelectRows(ctx, "rw", "missing", nil, 0, 0)
	wantSQLError(t, err, "no such table: missing")
	_, err = e.SelectRows(ctx, "rw", "missing", map[string]string{"a": "1"}, 0, 0)
	wantSQLError(t, err, "no such table: missing")
}
