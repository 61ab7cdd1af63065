package engine

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// endlessCSV yields CSV rows for ever: an import of it ends only when its
// context does, in the middle of a statement.
type endlessCSV struct {
	next int
	buf  []byte
}

func (r *endlessCSV) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		r.next++
		r.buf = fmt.Appendf(r.buf, "%d,row %d\n", r.next, r.next)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// A caller that goes away in the middle of a transaction (an import whose
// client hung up, an export of one that stopped reading) leaves the
// connection outside any transaction before the next call has it:
// database/sql rolls back a cancelled transaction on a goroutine of its
// own, and on the database's one writer the next call's BEGIN — or, worse,
// its plain INSERT, rolled back with the import — could otherwise run
// before that ROLLBACK.
func TestCancelledTransactionEndsBeforeTheNextCall(t *testing.T) {
	e := openTest(t, nil)
	spawn(t, e, "d")
	exec(t, e, "d", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	exec(t, e, "d", "CREATE TABLE after (n INTEGER)")
	const rounds = 150
	for i := range rounds {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := e.ImportCSV(ctx, "d", "t", &endlessCSV{}, CSVOptions{})
			done <- err
		}()
		time.Sleep(time.Duration(1+i%5) * time.Millisecond)
		cancel()
		if err := <-done; err == nil {
			t.Fatalf("round %d: an import cut short succeeded", i)
		}
		if _, err := e.Exec(context.Background(), "d", Query{SQL: "INSERT INTO after VALUES (?)", Params: []any{i}}); err != nil {
			t.Fatalf("round %d: the next write: %v", i, err)
		}
		if _, err := e.ImportSQL(context.Background(), "d", "SELECT 1;"); err != nil {
			t.Errorf("round %d: the next script: %v", i, err) // go on: are the writes kept?
		}
	}
	res := exec(t, e, "d", "SELECT count(*) FROM after")
	if got := fmt.Sprint(res.Rows); got != fmt.Sprintf("[[%d]]", rounds) {
		t.Fatalf("writes kept after the cancelled imports: %s, want %d", got, rounds)
	}
	if res := exec(t, e, "d", "SELECT count(*) FROM t"); fmt.Sprint(res.Rows) != "[[0]]" {
		t.Fatalf("rows of the cancelled imports kept: %v", res.Rows)
	}
}
