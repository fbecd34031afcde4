package charts

import (
	"sync"
	"sync/atomic"
)

// Cache is what the charts of one batch share: the parsed fonts, the text
// measurements and the rendered glyph masks. The 300 packets of a period
// draw 2,100 charts in the same few sizes of the same font; with a cache
// per chart every one rasterised its glyphs afresh, 6 % of
// BenchmarkPackets300's CPU. A Cache only ever holds values that are the
// same whoever computes them, so sharing changes no pixel. It is safe for
// concurrent use; the zero value is not usable, call NewCache.
type Cache struct {
	load func() (*styles, error)
}

// NewCache returns an empty cache for a batch of charts.
func NewCache() *Cache {
	return &Cache{load: sync.OnceValues(func() (*styles, error) {
		st, err := newStyles()
		if err == nil {
			st.glyphs = &glyphCache{}
		}
		return st, err
	})}
}

// styles returns the cache's fonts, or fresh ones for a nil cache.
func (c *Cache) styles() (*styles, error) {
	if c == nil {
		return newStyles()
	}
	return c.load()
}

// maxSharedGlyphs bounds the shared masks, about 400 bytes each with their
// keys: the 300 packets of BenchmarkPackets300 draw some 30,000 glyph
// positions, most of them once, and the first 16,000 hold the common ones.
// Past the bound, renders keep new glyphs to themselves.
const maxSharedGlyphs = 1 << 14

// glyphCache holds glyph masks by resolution, font, rune and pen fraction.
// A mask is never written after it is stored. It is read far more than
// written, so a sync.Map: an RWMutex's shared counter made the two
// builders of BenchmarkPackets300 contend on every glyph.
type glyphCache struct {
	m sync.Map     // dpiGlyph → *glyph
	n atomic.Int64 // entries, to keep the bound
}

type dpiGlyph struct {
	dpi float64
	glyphKey
}

// get returns the stored mask, nil when absent or on a nil cache.
func (c *glyphCache) get(dpi float64, k glyphKey) *glyph {
	if c == nil {
		return nil
	}
	if g, ok := c.m.Load(dpiGlyph{dpi, k}); ok {
		return g.(*glyph)
	}
	return nil
}

// put stores a mask and reports whether the cache holds it: false on a
// nil or full cache, where the render keeps it to itself.
func (c *glyphCache) put(dpi float64, k glyphKey, g *glyph) bool {
	if c == nil || c.n.Load() >= maxSharedGlyphs {
		return false
	}
	if _, loaded := c.m.LoadOrStore(dpiGlyph{dpi, k}, g); !loaded {
		c.n.Add(1)
	}
	return true
}
