package results

import (
	"context"
	"sync"

	"integritas/survey"
)

// Cache keeps each period's computed results until the period's data
// changes, so pages and charts do not recompute a 500,000-response period on
// every request. When only responses arrived, it reads just the new batches
// and computes from the period it holds (incremental.go); any other change
// reads the period afresh. It is safe for concurrent use; concurrent misses
// on one key compute once.
type Cache struct {
	st *survey.Store
	mu sync.Mutex
	m  map[cacheKey]*cacheEntry
}

type cacheKey struct {
	period string
}

type cacheEntry struct {
	version string
	ready   chan struct{}
	res     *Period
	base    *base
	err     error
	// prev is the entry this one replaced, until this one is computed:
	// each entry is the only successor of its prev, so updates that
	// append to a period never run from one Period twice.
	prev *cacheEntry
}

// NewCache returns an empty cache over the store.
func NewCache(st *survey.Store) *Cache {
	return &Cache{st: st, m: map[cacheKey]*cacheEntry{}}
}

// Get returns the period's results, computing them when the data changed.
func (c *Cache) Get(ctx context.Context, code string, opt Options) (*Period, error) {
	p, err := c.st.Period(ctx, code)
	if err != nil {
		return nil, err
	}
	version, err := c.st.DataVersion(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	key := cacheKey{period: code}
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok || e.version != version {
		e = &cacheEntry{version: version, ready: make(chan struct{}), prev: e}
		c.m[key] = e
		c.mu.Unlock()
		e.res, e.base, e.err = c.compute(context.WithoutCancel(ctx), p, version, e.prev)
		e.prev = nil
		close(e.ready)
		if e.err != nil {
			c.mu.Lock()
			if c.m[key] == e {
				delete(c.m, key)
			}
			c.mu.Unlock()
		}
		return e.res, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
		return e.res, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// compute updates prev's period when only responses arrived since, and
// computes it afresh otherwise.
func (c *Cache) compute(ctx context.Context, p *survey.Period, version string, prev *cacheEntry) (*Period, *base, error) {
	if prev != nil {
		<-prev.ready // updates chain in order
		if prev.err == nil && prev.base.extends(p, version) {
			res, b, ok, err := update(ctx, c.st, p, version, prev.res, prev.base)
			if ok || err != nil {
				return res, b, err
			}
		}
	}
	return computeFull(ctx, c.st, p, version)
}
