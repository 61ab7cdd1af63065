package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// A call's result memory is bounded by its budget (Config.MaxResultBytes),
// but calls run concurrently, so the process-wide memory of results is
// bounded here: every reader statement first runs with a small budget
// (smallResultBytes, also its per-value limit), which costs nothing shared.
// Only when that is not enough does it take one of K large-result slots,
// K = Config.MaxResultMemory / Config.MaxResultBytes, and run again with
// the full budget. Reader statements cannot write, so running one again is
// safe. The writer is never run twice (exec.go).

// smallResultBytes is the budget every reader statement starts with.
const smallResultBytes = 1 << 20

// DefaultMaxResultMemory is Config.MaxResultMemory when none is given.
const DefaultMaxResultMemory = 64 << 20

// ErrResultMemoryBusy is a large result that found no free slot within its
// query timeout: other large results hold the server's result memory.
var ErrResultMemoryBusy = fmt.Errorf("%w: the memory for large results is in use", ErrServerBusy)

// resultSlots is the engine-wide pool of large-result slots.
type resultSlots chan struct{}

// newResultSlots makes room for total / perCall large results at once, at
// least one.
func newResultSlots(total, perCall int64) resultSlots {
	return make(resultSlots, max(1, total/max(perCall, 1)))
}

// acquire waits for a free slot until ctx ends or deadline (none when
// zero) passes: past the deadline the
// caller is told the server is busy.
func (s resultSlots) acquire(ctx context.Context, deadline time.Time) (*resultSlot, error) {
	select {
	case s <- struct{}{}:
		return &resultSlot{pool: s}, nil
	default:
	}
	expired, stop := waitTimer(deadline)
	defer stop()
	select {
	case s <- struct{}{}:
		return &resultSlot{pool: s}, nil
	case <-expired:
		return nil, ErrResultMemoryBusy
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrResultMemoryBusy
		}
		return nil, ctx.Err()
	}
}

// resultSlot is one taken slot; release gives it back once, however often
// it is called.
type resultSlot struct {
	pool     resultSlots
	released atomic.Bool
}

func (r *resultSlot) release() {
	if r != nil && r.released.CompareAndSwap(false, true) {
		<-r.pool
	}
}

// Release gives back the large-result slot a result holds, if any. Only a
// call that asked to hold it (Query.HoldMemory, SelectRowsHeld) must call
// it, once the result has been encoded; calling it on any result, nil
// included, or twice, is harmless.
func (r *Result) Release() {
	if r != nil {
		r.slot.release()
	}
}

// EncodedSize estimates the bytes of the result's rows once encoded as
// JSON objects (what the result budget counts), so an encoder can size
// its buffer once instead of growing it through copies.
func (r *Result) EncodedSize() int64 { return r.size }

// longestArg is the length of the longest text or blob among bound
// arguments (positional or named).
func longestArg(args []any) int64 {
	var n int
	for _, a := range args {
		if na, ok := a.(sql.NamedArg); ok {
			a = na.Value
		}
		switch v := a.(type) {
		case string:
			n = max(n, len(v))
		case []byte:
			n = max(n, len(v))
		}
	}
	return int64(n)
}

// needsFullBudget reports whether a reader statement run with the small
// budget must run again with the full one: its result was cut by bytes, or
// a value or the first row was too large for the small budget.
func needsFullBudget(res *Result, err error) bool {
	if err != nil {
		var tooBig *TooLargeError // declared here: it escapes, and the common path allocates nothing
		return errors.As(err, &tooBig)
	}
	return res.cutByBytes
}
