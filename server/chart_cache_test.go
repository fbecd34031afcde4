package server

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestChartCache(t *testing.T) {
	cc := newChartCache(10)
	var draws atomic.Int32
	draw := func(body string) func() ([]byte, error) {
		return func() ([]byte, error) { draws.Add(1); return []byte(body), nil }
	}
	steps := []struct {
		key, body string
		want      string
		draws     int32
	}{
		{"a", "aaaa", "aaaa", 1},
		{"a", "zzzz", "aaaa", 1}, // cached: not drawn again
		{"b", "bbbb", "bbbb", 2},
		{"a", "zzzz", "aaaa", 2}, // a is now the most recent
		{"c", "cccc", "cccc", 3}, // 12 bytes > 10: b, the least recent, goes
		{"a", "zzzz", "aaaa", 3},
		{"b", "BBBB", "BBBB", 4},
	}
	for i, st := range steps {
		got, err := cc.get(st.key, draw(st.body))
		if err != nil || string(got) != st.want || draws.Load() != st.draws {
			t.Errorf("step %d: %q, %v, %d draws; want %q, %d", i, got, err, draws.Load(), st.want, st.draws)
		}
	}
	if _, err := cc.get("e", func() ([]byte, error) { return nil, errors.New("no") }); err == nil {
		t.Error("draw error lost")
	}
	if _, ok := cc.byKey["e"]; ok {
		t.Error("a failed draw was cached")
	}
	// Concurrent misses of one key draw once.
	draws.Store(0)
	var wg sync.WaitGroup
	release := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			cc.get("slow", func() ([]byte, error) { draws.Add(1); <-release; return []byte("s"), nil })
		})
	}
	close(release)
	wg.Wait()
	if n := draws.Load(); n < 1 || n > 8 {
		t.Errorf("%d draws", n)
	}
}
