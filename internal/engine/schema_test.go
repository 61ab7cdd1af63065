package engine

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func schemaFixture(t *testing.T) *Engine {
	e := openTest(t, nil)
	spawn(t, e, "sc")
	for _, s := range []string{
		"CREATE TABLE a(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x', v REAL)",
		"CREATE TABLE c(x, y, UNIQUE(x, y))",
		"CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id), k1, k2, FOREIGN KEY (k1, k2) REFERENCES c(x, y))",
		"CREATE UNIQUE INDEX a_name ON a(name)",
		"CREATE INDEX b_k ON b(k1, k2)",
		"CREATE VIEW av AS SELECT id, name FROM a",
		"CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN UPDATE a SET v = CASE WHEN new.v IS NULL THEN 0 ELSE new.v END WHERE id = new.id; END",
		"INSERT INTO a(name) VALUES ('p'), ('q')",
	} {
		exec(t, e, "sc", s)
	}
	return e
}

func TestSchema(t *testing.T) {
	e := schemaFixture(t)
	ctx := context.Background()
	s, err := e.Schema(ctx, "sc", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name+":"+tb.Type)
	}
	if want := []string{"a:table", "av:view", "b:table", "c:table"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("tables = %v, want %v", names, want)
	}
	a := s.Tables[0]
	if a.RowCount != 2 || !strings.HasPrefix(a.SQL, "CREATE TABLE a") {
		t.Errorf("a = %+v", a)
	}
	if len(a.Columns) != 3 || !a.Columns[0].PrimaryKey || a.Columns[1].Type != "TEXT" || !a.Columns[1].NotNull ||
		a.Columns[1].Default == nil || *a.Columns[1].Default != "'x'" || a.Columns[2].Default != nil {
		t.Errorf("a columns = %+v", a.Columns)
	}
	if len(a.Indexes) != 1 || a.Indexes[0].Name != "a_name" || !a.Indexes[0].Unique || !reflect.DeepEqual(a.Indexes[0].Columns, []string{"name"}) {
		t.Errorf("a indexes = %+v", a.Indexes)
	}
	b := s.Tables[2]
	wantFK := []ForeignKey{
		{Columns: []string{"k1", "k2"}, RefTable: "c", RefColumns: []string{"x", "y"}},
		{Columns: []string{"a_id"}, RefTable: "a", RefColumns: []string{"id"}},
	}
	if !reflect.DeepEqual(b.ForeignKeys, wantFK) {
		t.Errorf("b foreign keys = %+v, want %+v", b.ForeignKeys, wantFK)
	}
	if len(b.Indexes) != 1 || !reflect.DeepEqual(b.Indexes[0].Columns, []string{"k1", "k2"}) {
		t.Errorf("b indexes = %+v", b.Indexes)
	}
	if len(s.Triggers) != 1 || s.Triggers[0].Name != "a_ins" || s.Triggers[0].Table != "a" {
		t.Errorf("triggers = %+v", s.Triggers)
	}
	one, err := e.Schema(ctx, "sc", "av")
	if err != nil || len(one.Tables) != 1 || one.Tables[0].Type != "view" || len(one.Tables[0].Columns) != 2 {
		t.Fatalf("Schema(av) = %+v, %v", one, err)
	}
	_, err = e.Schema(ctx, "sc", "nope")
	wantSQLError(t, err, "no such table: nope")
	_, err = e.Schema(ctx, "sc", "bad\x01")
	wantErr(t, err, ErrInvalidIdentifier)
}

func TestExplain(t *testing.T) {
	e := schemaFixture(t)
	ctx := context.Background()
	plan, err := e.Explain(ctx, "sc", Query{SQL: "SELECT * FROM a WHERE name = ?", Params: []any{"p"}})
	if err != nil || len(plan) == 0 {
		t.Fatalf("Explain = %+v, %v", plan, err)
	}
	if !strings.Contains(plan[0].Detail, "a_name") {
		t.Errorf("plan does not use the index: %+v", plan)
	}
	// a write is explained, not run
	plan, err = e.Explain(ctx, "sc", Query{SQL: "DELETE FROM a WHERE id = 1"})
	if err != nil || len(plan) == 0 {
		t.Fatalf("Explain(DELETE) = %+v, %v", plan, err)
	}
	if got := exec(t, e, "sc", "SELECT count(*) FROM a").Rows[0][0]; got != int64(2) {
		t.Fatalf("explained DELETE ran: %v rows left", got)
	}
	_, err = e.Explain(ctx, "sc", Query{SQL: "SELECT 1; SELECT 2"})
	wantErr(t, err, ErrMultipleStatements)
	_, err = e.Explain(ctx, "sc", Query{SQL: "SELECT * FROM zz"})
	wantSQLError(t, err, "no such table: zz")
}

func TestDetails(t *testing.T) {
	e := schemaFixture(t)
	ctx := context.Background()
	d, err := e.Details(ctx, "sc")
	if err != nil {
		t.Fatal(err)
	}
	if d.PageSize != 4096 || d.PageCount == 0 || d.JournalMode != "wal" || d.Name != "sc" {
		t.Errorf("details = %+v", d)
	}
	if want := []TableCount{{"a", 2}, {"b", 0}, {"c", 0}}; !reflect.DeepEqual(d.Tables, want) {
		t.Errorf("tables = %+v, want %+v", d.Tables, want)
	}
	if len(d.Indexes) != 2 || d.Indexes[0] != (IndexRef{"a_name", "a"}) {
		t.Errorf("indexes = %+v", d.Indexes)
	}
	if _, err := e.Prune(ctx, "sc"); err != nil {
		t.Fatal(err)
	}
	d, err = e.Details(ctx, "sc")
	if err != nil || d.Status != StatusStopped || d.SizeBytes == 0 {
		t.Fatalf("details of stopped = %+v, %v", d, err)
	}
	_, err = e.Schema(ctx, "sc", "")
	wantErr(t, err, ErrStopped)
}
