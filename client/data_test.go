package client_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

func TestTablesRoutes(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "shop")
		m, err := c.CreateTable(ctx, "shop", "items", []client.ColumnDef{
			{Name: "id", Type: "INTEGER", PrimaryKey: true},
			{Name: "name", Type: "TEXT", NotNull: true},
			{Name: "price", Type: "REAL", Default: 1.0},
			{Name: "added", Type: "TEXT", Default: "CURRENT_TIMESTAMP"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if m.Message != "Table 'items' created successfully." {
			t.Errorf("create = %+v", m)
		}
		if _, err := c.CreateTable(ctx, "shop", "items", []client.ColumnDef{{Name: "x", Type: "TEXT"}}); !client.IsSQLError(err) {
			t.Errorf("existing table: want SQL error, got %v", err)
		}

		n, err := c.InsertRows(ctx, "shop", "items", []map[string]any{
			{"name": "apple", "price": 2.5},
			{"name": "pear", "price": 3.0},
			{"name": "plum", "price": 2.5},
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("inserted %d", n)
		}
		if _, err := c.InsertRows(ctx, "shop", "items", []map[string]any{{"name": "a"}, {"price": 1.0}}); err == nil {
			t.Error("rows with different keys: want an error")
		}

		res, err := c.GetRows(ctx, "shop", "items", map[string]string{"price": "2.5"}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := columnNames(res); !reflect.DeepEqual(got, []string{"id", "name", "price", "added"}) {
			t.Errorf("columns = %v", got)
		}
		if len(res.Rows) != 2 || res.Rows[0][1] != "apple" || res.Rows[1][1] != "plum" || res.Rows[0][2] != 2.5 {
			t.Errorf("rows = %v", res.Rows)
		}
		if res.Rows[0][3] == nil {
			t.Error("CURRENT_TIMESTAMP default was not applied")
		}
		page, err := c.GetRows(ctx, "shop", "items", nil, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) != 1 || page.Rows[0][1] != "pear" {
			t.Errorf("page = %v", page.Rows)
		}
		// the default 1.0 must bind as REAL, not INTEGER
		typ := exec(t, c, "shop", "SELECT typeof(dflt_value), dflt_value FROM pragma_table_info('items') WHERE name = 'price'")
		if typ.Rows[0][1] != "1.0" {
			t.Errorf("price default = %v", typ.Rows[0])
		}
		if _, err := c.GetRows(ctx, "shop", "items", map[string]string{"nope": "1"}, 0, 0); err == nil {
			t.Error("filter on unknown column: want an error")
		}
	})
}

func columnNames(r *client.QueryResult) []string {
	out := []string{}
	for _, c := range r.Columns {
		out = append(out, c.Name)
	}
	return out
}

func TestQueryShapes(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		spawn(t, c, "q")
		ex := exec(t, c, "q", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL)")
		if ex.Returning() || ex.Message != "Query executed successfully." {
			t.Errorf("create = %+v", ex)
		}
		ins := exec(t, c, "q", "INSERT INTO t (name, score) VALUES (?, ?), (?, ?)", "ann", 1.5, "bob", nil)
		if ins.Returning() || ins.RowsAffected != 2 || ins.LastInsertID != 2 {
			t.Errorf("insert = %+v", ins)
		}
		named, err := c.Query(ctx, "q", client.QueryRequest{SQL: "SELECT name FROM t WHERE id = :id", Params: map[string]any{"id": 2}})
		if err != nil {
			t.Fatal(err)
		}
		if len(named.Rows) != 1 || named.Rows[0][0] != "bob" {
			t.Errorf("named = %+v", named)
		}

		// column order comes from the statement, not from any map
		res := exec(t, c, "q", "SELECT score, name, id FROM t ORDER BY id")
		if !res.Returning() || !reflect.DeepEqual(columnNames(res), []string{"score", "name", "id"}) {
			t.Errorf("columns = %v", res.Columns)
		}
		want := [][]any{{1.5, "ann", int64(1)}, {nil, "bob", int64(2)}}
		if !reflect.DeepEqual(res.Rows, want) {
			t.Errorf("rows = %#v", res.Rows)
		}
		if res.RowCount != 2 || res.RowsAffected != 2 {
			t.Errorf("counts = %d/%d", res.RowCount, res.RowsAffected)
		}

		empty := exec(t, c, "q", "SELECT * FROM t WHERE id < 0")
		if !empty.Returning() || len(empty.Rows) != 0 || len(empty.Columns) != 3 {
			t.Errorf("empty = %+v", empty)
		}
		ret := exec(t, c, "q", "UPDATE t SET score = 2.0 WHERE id = 2 RETURNING id, score")
		if !ret.Returning() || !reflect.DeepEqual(ret.Rows, [][]any{{int64(2), 2.0}}) {
			t.Errorf("returning = %+v", ret)
		}

		paged, err := c.Query(ctx, "q", client.QueryRequest{SQL: "SELECT id FROM t ORDER BY id", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(paged.Rows) != 1 || !paged.HasMore {
			t.Errorf("paged = %+v", paged)
		}
	})
}

func TestSchemaAndExplain(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		checkSchemaAndExplain(t, c, true)
	})
}

// checkSchemaAndExplain builds a small schema through Query and checks what
// Schema reports, and Explain when explain is true; shared with the MK1
// fallback test (MK1 has no explain).
func checkSchemaAndExplain(t *testing.T, c *client.Client, explain bool) {
	ctx := ctxT(t)
	spawn(t, c, "s")
	for _, q := range []string{
		"CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
		"CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id), title TEXT DEFAULT 'untitled', year INT)",
		"CREATE INDEX books_year_title ON books (year, title)",
		"CREATE VIEW recent AS SELECT title FROM books WHERE year > 2000",
		"CREATE TRIGGER books_ai AFTER INSERT ON books BEGIN SELECT 1; END",
		"INSERT INTO authors (name) VALUES ('ann'), ('bob')",
		"INSERT INTO books (author_id, title, year) VALUES (1, 'x', 1999), (2, 'y', 2005), (2, 'z', 2010)",
	} {
		exec(t, c, "s", q)
	}
	s, err := c.Schema(ctx, "s", "")
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]client.TableSchema{}
	for _, tb := range s.Tables {
		tables[tb.Name] = tb
	}
	if len(s.Tables) != 3 || tables["recent"].Type != "view" || tables["books"].RowCount != 3 || tables["authors"].RowCount != 2 {
		t.Fatalf("tables = %+v", s.Tables)
	}
	books := tables["books"]
	if len(books.Columns) != 4 || books.Columns[0].Name != "id" || !books.Columns[0].PrimaryKey ||
		books.Columns[2].Default == nil || *books.Columns[2].Default != "'untitled'" {
		t.Errorf("books columns = %+v", books.Columns)
	}
	if len(books.Indexes) != 1 || !reflect.DeepEqual(books.Indexes[0].Columns, []string{"year", "title"}) || books.Indexes[0].Unique {
		t.Errorf("books indexes = %+v", books.Indexes)
	}
	if len(books.ForeignKeys) != 1 || books.ForeignKeys[0].RefTable != "authors" ||
		!reflect.DeepEqual(books.ForeignKeys[0].Columns, []string{"author_id"}) ||
		!reflect.DeepEqual(books.ForeignKeys[0].RefColumns, []string{"id"}) {
		t.Errorf("books fks = %+v", books.ForeignKeys)
	}
	authors := tables["authors"]
	if len(authors.Indexes) != 1 || !authors.Indexes[0].Unique || !authors.Columns[1].NotNull {
		t.Errorf("authors = %+v", authors)
	}
	if len(s.Triggers) != 1 || s.Triggers[0].Name != "books_ai" || s.Triggers[0].Table != "books" {
		t.Errorf("triggers = %+v", s.Triggers)
	}

	one, err := c.Schema(ctx, "s", "authors")
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Tables) != 1 || one.Tables[0].Name != "authors" || len(one.Triggers) != 0 {
		t.Errorf("one table = %+v", one)
	}
	if _, err := c.Schema(ctx, "s", "missing"); !client.IsSQLError(err) {
		t.Errorf("missing table: want SQL error, got %v", err)
	}
	if !explain {
		return
	}

	plan, err := c.Explain(ctx, "s", client.QueryRequest{SQL: "SELECT * FROM books WHERE id = ?", Params: []any{2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Plan) == 0 || !containsDetail(plan.Plan, "SEARCH books USING INTEGER PRIMARY KEY") {
		t.Errorf("plan = %+v", plan.Plan)
	}
	if _, err := c.Explain(ctx, "s", client.QueryRequest{SQL: "SELECT * FROM nope"}); !client.IsSQLError(err) {
		t.Errorf("explain bad SQL: want SQL error, got %v", err)
	}
}

func containsDetail(plan []client.PlanNode, s string) bool {
	for _, n := range plan {
		if strings.Contains(n.Detail, s) {
			return true
		}
	}
	return false
}
