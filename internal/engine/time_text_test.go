package engine

import (
	"context"
	"testing"
)

// Text in DATE/DATETIME/TIMESTAMP columns comes back exactly as stored,
// though the driver would parse it into a time value.
func TestDateTextComesBackExact(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE ev(id INTEGER PRIMARY KEY, at DATETIME, day DATE, ts TIMESTAMP)")
	stored := []string{"2024-01-02T10:00:00Z", "2024-01-02", "2024-01-02 10:00:00.5+02:00"}
	exec(t, e, "d", "INSERT INTO ev(at, day, ts) VALUES (?, ?, ?)", stored[0], stored[1], stored[2])
	exec(t, e, "d", "INSERT INTO ev(at, day, ts) VALUES ('not a date', 20240102, 1.5)")

	for _, q := range []Query{
		{SQL: "SELECT at, day, ts FROM ev ORDER BY id"},
		{SQL: "SELECT at, day, ts FROM ev ORDER BY id", Limit: 1},
		{SQL: "SELECT at, day, ts FROM ev ORDER BY id", Offset: 0, Limit: 5},
		{SQL: "WITH x AS (SELECT * FROM ev) SELECT at, day, ts FROM x ORDER BY id"},
	} {
		res, err := e.Exec(context.Background(), "d", q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Columns[0].Type != "DATETIME" || res.Columns[1].Type != "DATE" {
			t.Fatalf("declared types lost: %+v", res.Columns)
		}
		for i, want := range stored {
			if got := res.Rows[0][i]; got != want {
				t.Errorf("%q column %d = %#v, want %q", q.SQL, i, got, want)
			}
		}
		if len(res.Rows) > 1 {
			if res.Rows[1][0] != "not a date" || res.Rows[1][1] != int64(20240102) || res.Rows[1][2] != 1.5 {
				t.Errorf("second row = %#v", res.Rows[1])
			}
		}
	}

	// Deep pages go through the same path.
	res, err := e.Exec(context.Background(), "d", Query{SQL: "SELECT at FROM ev ORDER BY id", Offset: 0, Limit: 1})
	if err != nil || res.Rows[0][0] != stored[0] || !res.HasMore {
		t.Fatalf("first page = %#v, %v", res, err)
	}
	res, err = e.Exec(context.Background(), "d", Query{SQL: "SELECT at FROM ev ORDER BY id", Offset: 1, Limit: 1})
	if err != nil || res.Rows[0][0] != "not a date" {
		t.Fatalf("second page = %#v, %v", res, err)
	}
}
