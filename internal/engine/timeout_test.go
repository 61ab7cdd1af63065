package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestExpensiveFunctionsHonourTimeout: statements built of expensive
// single function calls end within the query timeout plus the time of one
// call (bounded by the per-value limit), and meanwhile another database
// answers at once, random() included (SQLite's randomblob held the
// process-wide random-number lock for its whole call).
func TestExpensiveFunctionsHonourTimeout(t *testing.T) {
	const timeout = time.Second
	// one call of a slow function at the per-value limit (a replace that
	// builds 60 MB) takes under a second on a loaded 2-core machine; the
	// margin allows for that once, not for the whole statement; the race
	// detector makes that one call several times slower
	margin := 2 * time.Second
	if raceDetector {
		margin *= 5
	}
	e := openTest(t, func(c *Config) { c.QueryTimeout = timeout })
	spawn(t, e, "hot")
	spawn(t, e, "other")
	exec(t, e, "other", "CREATE TABLE t(a)")
	exec(t, e, "other", "INSERT INTO t VALUES (1)")
	const forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
	for _, s := range []string{
		"SELECT randomblob(1e9)",
		"SELECT length(randomblob(60000000))",
		forever + "SELECT count(*) FROM c",
		forever + "SELECT count(randomblob(60000000)) FROM c",
		forever + "SELECT count(replace(printf('%.*c', 6000000, 'x'), 'x', 'yyyyyyyyyy')) FROM c",
		forever + "SELECT count(hex(zeroblob(30000000))) FROM c",
		forever + "SELECT max(length(zeroblob(60000000) || x)) FROM c",
		"SELECT length(replace(replace(printf('%.*c', 6000000, 'x'), 'x', 'yyyyyyyyyy'), 'y', 'zz'))",
	} {
		stop := make(chan struct{})
		var worst, worstRandom time.Duration
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				start := time.Now()
				exec(t, e, "other", "SELECT count(*) FROM t")
				worst = max(worst, time.Since(start))
				start = time.Now()
				exec(t, e, "other", "SELECT random()")
				worstRandom = max(worstRandom, time.Since(start))
			}
		}()
		start := time.Now()
		_, err := e.Exec(context.Background(), "hot", Query{SQL: s, ReadOnly: true})
		took := time.Since(start)
		close(stop)
		wg.Wait()
		if err != nil && !errors.Is(err, ErrTimeout) && !errors.Is(err, ErrResultTooLarge) {
			t.Errorf("%q: err = %v, want a result, a timeout or a refusal", s, err)
		}
		if took > timeout+margin {
			t.Errorf("%q answered after %v (timeout %v)", s, took, timeout)
		}
		if worst > 500*time.Millisecond || worstRandom > 500*time.Millisecond {
			t.Errorf("%q delayed another database: plain query %v, random() %v", s, worst, worstRandom)
		}
		t.Logf("%q: %v (other database: %v, random() %v)", s, took.Round(time.Millisecond), worst.Round(time.Millisecond), worstRandom.Round(time.Millisecond))
	}
}
