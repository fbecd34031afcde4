package charts

import (
	"bytes"
	"sync"
	"testing"

	"integritas/analysis"
)

// TestCacheSamePixels: charts drawn through one shared Cache, concurrently
// and after other charts filled it, are byte for byte the charts drawn
// with caches of their own.
func TestCacheSamePixels(t *testing.T) {
	res, err := analysis.Compute(synthInput(7, 12, 10))
	if err != nil {
		t.Fatal(err)
	}
	builds := map[string]func(c *Cache) (*Chart, error){
		"profile": func(c *Cache) (*Chart, error) {
			o := profileOptions(unitLong, analysis.Internal)
			o.Cache = c
			return Profile(res, o)
		},
		"distribution": func(c *Cache) (*Chart, error) {
			o := distributionOptions(unitLong, analysis.Internal)
			o.Cache = c
			return Distribution(res, o)
		},
		"trend": func(c *Cache) (*Chart, error) {
			o := trendOptions()
			o.Cache = c
			return Trend(trendPoints(), o)
		},
	}
	png := func(t *testing.T, build func(*Cache) (*Chart, error), c *Cache) []byte {
		ch, err := build(c)
		if err != nil {
			t.Error(err)
			return nil
		}
		var buf bytes.Buffer
		if err := ch.PNG(&buf); err != nil {
			t.Error(err)
		}
		return buf.Bytes()
	}
	want := map[string][]byte{}
	for name, build := range builds {
		want[name] = png(t, build, nil)
	}
	shared := NewCache()
	var wg sync.WaitGroup
	for range 3 {
		for name, build := range builds {
			wg.Go(func() {
				if got := png(t, build, shared); !bytes.Equal(got, want[name]) {
					t.Errorf("%s through the shared cache differs from its own (%d vs %d bytes)", name, len(got), len(want[name]))
				}
			})
		}
	}
	wg.Wait()
	if st, _ := shared.styles(); st.glyphs.n.Load() == 0 {
		t.Error("the shared cache holds no glyphs: the charts did not use it")
	}
}
