package postgres

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
)

// A single value far larger than the result budget is refused before the
// gateway reads it: the driver would otherwise allocate the whole server
// message (up to 1 GiB) before any row check sees it.
func TestHugeValueIsRefusedBeforeItIsRead(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) { c.MaxResultBytes = 1 << 20 })
	f.spawn("big")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, sql := range []string{
		"SELECT repeat('x', 200000000)",
		"SELECT repeat('x', 40000000) FROM generate_series(1, 3)",
	} {
		_, err := f.e.Exec(context.Background(), "big", engine.Query{SQL: sql})
		if !errors.Is(err, engine.ErrResultTooLarge) {
			t.Fatalf("%s: %v, want the result-too-large error", sql, err)
		}
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("refusing the huge values allocated %d MiB", grew>>20)
	}
	// the database still answers, on a fresh connection
	if got := f.exec("big", "SELECT 1").Rows[0][0]; got != int64(1) {
		t.Fatalf("after the refusal: %v", got)
	}
}

// A whole number that reaches the gateway as a float (1e6 or 1000000.0 in
// the JSON) binds to an integer column; fractions still reach float ones.
func TestFloatParamsBindToIntegerColumns(t *testing.T) {
	f := newFixture(t, nil)
	f.spawn("nums")
	f.exec("nums", "CREATE TABLE n (i int8, r float8)")
	if _, err := f.e.Exec(context.Background(), "nums", engine.Query{SQL: "INSERT INTO n VALUES (?, ?)", Params: []any{float64(1e6), 1.5e300}}); err != nil {
		t.Fatal(err)
	}
	res := f.exec("nums", "SELECT i, r FROM n")
	if res.Rows[0][0] != int64(1000000) || res.Rows[0][1] != 1.5e300 {
		t.Fatalf("stored %v", res.Rows)
	}
}
