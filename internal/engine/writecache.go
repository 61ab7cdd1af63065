package engine

import (
	"sync"
	"sync/atomic"
)

// maxWriteCache bounds how many statement texts writeCache remembers.
const maxWriteCache = 1024

// writeCache remembers statement texts SQLite refused on a read-only
// connection, so the next run goes straight to the writer. Whether a
// statement writes is a property of its text, so entries never go stale; the
// cache is simply reset when it fills up.
type writeCache struct {
	m sync.Map // string → struct{}
	n atomic.Int64
}

func (w *writeCache) has(sql string) bool {
	_, ok := w.m.Load(sql)
	return ok
}

func (w *writeCache) add(sql string) {
	if w.n.Add(1) > maxWriteCache {
		w.m.Clear()
		w.n.Store(0)
	}
	w.m.Store(sql, struct{}{})
}
