package engine

import (
	"sync"
	"sync/atomic"

	"github.com/dbforge/dbforge/internal/sqltext"
)

// maxTextCache bounds how many entries a textCache remembers.
const maxTextCache = 1024

// textCache is a bounded map keyed by statement text (K holds it) for
// facts that depend only on the text, so entries never go stale; it is
// simply reset when it fills up.
type textCache[K comparable, V any] struct {
	m sync.Map // K → V
	n atomic.Int64
}

func (c *textCache[K, V]) get(text K) (V, bool) {
	v, ok := c.m.Load(text)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (c *textCache[K, V]) put(text K, v V) {
	if c.n.Add(1) > maxTextCache {
		c.m.Clear()
		c.n.Store(0)
	}
	c.m.Store(text, v)
}

// writeCache remembers statement texts SQLite refused on a read-only
// connection, so the next run goes straight to the writer, with each
// text's first word (which decides how the writer runs it).
type writeCache struct{ textCache[string, string] }

// maxSplitText is the longest call text splitCache keeps: a repeated
// query is short, and a long script is lexed once per call anyway.
const maxSplitText = 4096

// splitCache remembers the single statement of recent call texts, so a
// repeated query is not lexed again on every call (about 1 µs of a point
// query). Calls that do not hold exactly one statement are not kept. One
// cache serves every database, bounded in all; its keys name the
// database, so whether a text was seen on one never shows in the timing
// of another's calls.
type splitCache struct {
	textCache[splitKey, sqltext.Statement]
}

type splitKey struct {
	db   string
	text string
}

// one returns the single statement of src, a call's text on database db.
func (s *splitCache) one(db, src string) (sqltext.Statement, error) {
	k := splitKey{db, src}
	if st, ok := s.get(k); ok {
		return st, nil
	}
	st, err := oneStatement(src)
	if err == nil && len(src) <= maxSplitText {
		s.put(k, st)
	}
	return st, err
}
