package demo

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dbforge/dbforge/client"
	_ "modernc.org/sqlite"
)

func TestStatementsAreDeterministic(t *testing.T) {
	if !slices.Equal(Statements(), Statements()) {
		t.Fatal("two calls gave different data")
	}
}

// TestStatementsLoadIntoSQLite runs the script on a real SQLite file and
// checks row counts, foreign keys and the view.
func TestStatementsLoadIntoSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "demo.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, s := range Statements() {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("statement %d: %v\n%.200s", i+1, err, s)
		}
	}
	count := func(q string) int {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM customers"); n != Customers {
		t.Fatalf("customers = %d", n)
	}
	if n := count("SELECT count(*) FROM orders"); n != Orders {
		t.Fatalf("orders = %d", n)
	}
	if n := count("SELECT count(*) FROM order_items"); n < Orders {
		t.Fatalf("order_items = %d", n)
	}
	if n := count("SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Fatalf("%d foreign key violations", n)
	}
	if n := count("SELECT count(*) FROM revenue_by_month"); n < 12 {
		t.Fatalf("revenue_by_month has %d months", n)
	}
	if n := count("SELECT count(*) FROM orders o WHERE abs(o.total - (SELECT sum(quantity*unit_price) FROM order_items WHERE order_id = o.id)) > 0.01"); n != 0 {
		t.Fatalf("%d orders whose total disagrees with their items", n)
	}
}

// recorder is a fake client that records what Seed sends.
type recorder struct {
	spawned string
	sqls    []string
}

func (r *recorder) Spawn(_ context.Context, name string) (*client.SpawnResult, error) {
	r.spawned = name
	return &client.SpawnResult{DBName: name}, nil
}

func (r *recorder) Query(_ context.Context, db string, req client.QueryRequest) (*client.QueryResult, error) {
	if db != r.spawned {
		return nil, sql.ErrNoRows
	}
	r.sqls = append(r.sqls, req.SQL)
	return &client.QueryResult{}, nil
}

func TestSeedSpawnsThenRunsEveryStatement(t *testing.T) {
	r := &recorder{}
	if err := Seed(context.Background(), r, Name); err != nil {
		t.Fatal(err)
	}
	if r.spawned != Name || !slices.Equal(r.sqls, Statements()) {
		t.Fatalf("spawned %q, ran %d statements", r.spawned, len(r.sqls))
	}
}
