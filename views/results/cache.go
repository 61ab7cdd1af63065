package results

// pageCache holds up to max pages of rows, evicting the least recently used
// one, and remembers which pages are being fetched so each is asked for once.
// Recency is a counter, not a clock, so tests are deterministic.
type pageCache struct {
	size, max int
	pages     map[int]*page
	inflight  map[int]bool
	failed    map[int]bool
	tick      uint64
}

type page struct {
	rows [][]any
	used uint64
}

func newPageCache(size, maxPages int) *pageCache {
	return &pageCache{
		size: max(size, 1), max: max(maxPages, 1),
		pages: map[int]*page{}, inflight: map[int]bool{}, failed: map[int]bool{},
	}
}

// get returns a cached page and marks it used.
func (c *pageCache) get(p int) ([][]any, bool) {
	pg, ok := c.pages[p]
	if !ok {
		return nil, false
	}
	c.tick++
	pg.used = c.tick
	return pg.rows, true
}

// peek returns a cached page without touching its recency (for View).
func (c *pageCache) peek(p int) ([][]any, bool) {
	pg, ok := c.pages[p]
	if !ok {
		return nil, false
	}
	return pg.rows, true
}

// put stores a page, evicting the least recently used others beyond max.
func (c *pageCache) put(p int, rows [][]any) {
	delete(c.inflight, p)
	delete(c.failed, p)
	c.tick++
	c.pages[p] = &page{rows: rows, used: c.tick}
	for len(c.pages) > c.max {
		victim, oldest := -1, ^uint64(0)
		for k, pg := range c.pages {
			if k != p && pg.used < oldest {
				victim, oldest = k, pg.used
			}
		}
		if victim < 0 {
			return
		}
		delete(c.pages, victim)
	}
}

// want reports whether page p should be fetched now and, if so, marks it in
// flight.
func (c *pageCache) want(p int) bool {
	if _, ok := c.pages[p]; ok || c.inflight[p] || c.failed[p] {
		return false
	}
	c.inflight[p] = true
	return true
}

func (c *pageCache) fail(p int) {
	delete(c.inflight, p)
	c.failed[p] = true
}

// retry forgets failures so the pages are asked for again.
func (c *pageCache) retry() { clear(c.failed) }

// leading returns the rows of pages 0, 1, … up to the first gap.
func (c *pageCache) leading() [][]any {
	var out [][]any
	for p := 0; ; p++ {
		pg, ok := c.pages[p]
		if !ok {
			return out
		}
		out = append(out, pg.rows...)
		if len(pg.rows) < c.size {
			return out
		}
	}
}

// bytes estimates the memory held by cached rows (for benchmarks).
func (c *pageCache) bytes() int {
	n := 0
	for _, pg := range c.pages {
		for _, r := range pg.rows {
			n += 24 + 16*len(r)
			for _, v := range r {
				switch x := v.(type) {
				case string:
					n += len(x)
				case []byte:
					n += len(x)
				case int64, float64:
					n += 8
				}
			}
		}
	}
	return n
}
