package server

import (
	"container/list"
	"sync"

	"golang.org/x/sync/singleflight"
)

// chartCache keeps recently drawn charts by ETag (which names the data
// version, route, unit, filters and language), so a chart is drawn once
// per change of its data however many readers open it: a 300-unit heatmap
// takes longer to draw than a page to render. It holds at most maxBytes;
// concurrent misses of one chart draw it once.
type chartCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // front: most recently used
	byKey    map[string]*list.Element
	flight   singleflight.Group
}

type chartEntry struct {
	key  string
	body []byte
}

func newChartCache(maxBytes int) *chartCache {
	return &chartCache{maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the cached chart of key, or draws it with draw and keeps it.
func (cc *chartCache) get(key string, draw func() ([]byte, error)) ([]byte, error) {
	cc.mu.Lock()
	if el, ok := cc.byKey[key]; ok {
		cc.order.MoveToFront(el)
		cc.mu.Unlock()
		return el.Value.(*chartEntry).body, nil
	}
	cc.mu.Unlock()
	v, err, _ := cc.flight.Do(key, func() (any, error) {
		body, err := draw()
		if err != nil {
			return nil, err
		}
		cc.put(key, body)
		return body, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

func (cc *chartCache) put(key string, body []byte) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if _, ok := cc.byKey[key]; ok || len(body) > cc.maxBytes {
		return
	}
	cc.byKey[key] = cc.order.PushFront(&chartEntry{key: key, body: body})
	cc.bytes += len(body)
	for cc.bytes > cc.maxBytes {
		old := cc.order.Back()
		e := old.Value.(*chartEntry)
		cc.order.Remove(old)
		delete(cc.byKey, e.key)
		cc.bytes -= len(e.body)
	}
}
