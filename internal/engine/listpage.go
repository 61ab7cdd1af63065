package engine

import (
	"context"
	"slices"
	"strings"
)

// ListFilter selects and pages the instances ListPage returns.
type ListFilter struct {
	Running, Stopped bool              // the statuses wanted
	Prefix           string            // names starting with it; "" = all
	Match            func(string) bool // names the caller may see; nil = all
	Offset           int               // matches skipped, by name
	Limit            int               // at most this many returned; 0 = all
}

// ListPage returns the page of matching instances, by name, and how many
// match in all. Names and statuses are filtered and sorted first, so only
// the page's instances have their files looked at (for the size): a page
// of a data directory of 10,000 databases costs a page.
func (e *Engine) ListPage(ctx context.Context, f ListFilter) (page []Instance, total int, err error) {
	if err := e.LoadAll(ctx); err != nil {
		return nil, 0, err
	}
	e.mu.RLock()
	if e.closed {
		e.mu.RUnlock()
		return nil, 0, ErrClosed
	}
	matched := make([]*instance, 0, len(e.insts))
	for name, inst := range e.insts {
		if !strings.HasPrefix(name, f.Prefix) || f.Match != nil && !f.Match(name) {
			continue
		}
		if running := inst.status() == StatusRunning; running && f.Running || !running && f.Stopped {
			matched = append(matched, inst)
		}
	}
	e.mu.RUnlock()
	slices.SortFunc(matched, func(a, b *instance) int { return strings.Compare(a.name, b.name) })
	total = len(matched)
	matched = matched[min(max(f.Offset, 0), total):]
	if f.Limit > 0 && f.Limit < len(matched) {
		matched = matched[:f.Limit]
	}
	page = make([]Instance, len(matched))
	for i, inst := range matched {
		page[i] = inst.info()
	}
	return page, total, nil
}
