package client_test

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type base struct {
	ID int64 `db:"id"`
}

type item struct {
	base
	Name     string
	Price    float64        `db:"price"`
	Qty      *int           `db:"qty"`
	Img      []byte         `db:"img"`
	Note     sql.NullString `db:"note"`
	Added    time.Time      `db:"added"`
	Active   bool           `db:"active"`
	Ignored  string         `db:"-"`
	internal string
}

// TestScanStructsAndMaps reads real rows from an embedded gateway into
// structs and maps.
func TestScanStructsAndMaps(t *testing.T) {
	c := embeddedClient(t)
	spawn(t, c, "s")
	exec(t, c, "s", "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, img BLOB, note TEXT, added TEXT, active INTEGER, extra TEXT)")
	exec(t, c, "s", "INSERT INTO items VALUES (1, 'tea', 2.5, 3, x'cafe', 'hot', '2026-03-14 15:08:00', 1, 'x'), (2, 'cake', 4, NULL, NULL, NULL, '2026-03-14T15:08:00Z', 0, NULL)")
	r := exec(t, c, "s", "SELECT * FROM items ORDER BY id")

	var items []item
	if err := r.Scan(&items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	a, b := items[0], items[1]
	want := time.Date(2026, 3, 14, 15, 8, 0, 0, time.UTC)
	if a.ID != 1 || a.Name != "tea" || a.Price != 2.5 || a.Qty == nil || *a.Qty != 3 || string(a.Img) != "\xca\xfe" ||
		a.Note.String != "hot" || !a.Note.Valid || !a.Added.Equal(want) || !a.Active || a.Ignored != "" {
		t.Fatalf("first row %+v", a)
	}
	if b.ID != 2 || b.Price != 4 || b.Qty != nil || b.Img != nil || b.Note.Valid || !b.Added.Equal(want) || b.Active {
		t.Fatalf("second row %+v", b)
	}
	var ptrs []*item
	if err := r.Scan(&ptrs); err != nil || len(ptrs) != 2 || ptrs[1].Name != "cake" {
		t.Fatalf("pointers: %v, %v", ptrs, err)
	}

	maps := r.Maps()
	if len(maps) != 2 || maps[0]["name"] != "tea" || maps[0]["id"] != int64(1) || maps[1]["qty"] != nil || len(maps[0]) != 9 {
		t.Fatalf("maps %v", maps)
	}
	if _, ok := maps[1]["qty"]; !ok {
		t.Fatal("a NULL column is missing from its map")
	}

	// values that do not fit are errors naming row and column
	var small []struct {
		N int8 `db:"n"`
	}
	err := exec(t, c, "s", "SELECT 1000 AS n").Scan(&small)
	if err == nil || !strings.Contains(err.Error(), `row 1, column "n"`) || !strings.Contains(err.Error(), "overflows int8") {
		t.Fatalf("overflow: %v", err)
	}
	var ints []struct{ N int }
	if err := exec(t, c, "s", "SELECT 1.5 AS n").Scan(&ints); err == nil {
		t.Fatal("a fraction went into an int")
	}
	if err := exec(t, c, "s", "SELECT 'x' AS n").Scan(&ints); err == nil {
		t.Fatal("text went into an int")
	}
	var uints []struct{ N uint }
	if err := exec(t, c, "s", "SELECT -1 AS n").Scan(&uints); err == nil {
		t.Fatal("a negative went into a uint")
	}
	for _, bad := range []any{nil, items, &[]int{}, new(item)} {
		if err := r.Scan(bad); err == nil {
			t.Fatalf("Scan(%T) accepted", bad)
		}
	}
}

// TestIDKeepsTheWireName: the Go field is ID, the JSON key stays MK1's
// container_id.
func TestIDKeepsTheWireName(t *testing.T) {
	c := embeddedClient(t)
	r, err := c.Spawn(ctxT(t), "w")
	if err != nil || r.ID == "" {
		t.Fatalf("spawn %+v, %v", r, err)
	}
	dbs, err := c.ListDatabases(ctxT(t), false)
	if err != nil || len(dbs) != 1 || dbs[0].ID != r.ID {
		t.Fatalf("list %+v, %v", dbs, err)
	}
	b, _ := json.Marshal(dbs[0])
	if !strings.Contains(string(b), `"container_id":"`+r.ID+`"`) {
		t.Fatalf("JSON %s", b)
	}
}
