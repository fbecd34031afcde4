package charts

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// typeface names the embedded Liberation Sans family inside a chart's cache.
const typeface = "Liberation"

// styles holds a chart's own font cache; parsing both TTFs costs ~35 µs, so
// every chart owns one rather than sharing mutable package state.
type styles struct {
	handler *measured
	// glyphs are the rendered glyph masks shared by a Cache's charts; nil
	// when each render keeps its own.
	glyphs *glyphCache
}

// newStyles parses the embedded fonts into a fresh cache.
func newStyles() (*styles, error) {
	var coll font.Collection
	for _, f := range []struct {
		ttf    []byte
		weight stdfont.Weight
	}{{liberationsansregular.TTF, stdfont.WeightNormal}, {liberationsansbold.TTF, stdfont.WeightBold}} {
		face, err := opentype.Parse(f.ttf)
		if err != nil {
			return nil, fmt.Errorf("charts: parse font: %w", err)
		}
		coll = append(coll, font.Face{Font: font.Font{Typeface: typeface, Variant: "Sans", Weight: f.weight}, Face: face})
	}
	return &styles{handler: &measured{Plain: text.Plain{Fonts: font.NewCache(coll)}, boxes: map[boxKey]box{}}}, nil
}

// style returns a text style of the given size in points.
func (s *styles) style(size vg.Length, bold bool, c color.Color) text.Style {
	w := stdfont.WeightNormal
	if bold {
		w = stdfont.WeightBold
	}
	return text.Style{
		Color:   c,
		Font:    font.Font{Typeface: typeface, Variant: "Sans", Weight: w, Size: size},
		XAlign:  text.XLeft,
		YAlign:  text.YBottom,
		Handler: s.handler,
	}
}

// Font sizes in points.
const (
	sizeTitle  = 13
	sizeSub    = 9
	sizeAxis   = 9
	sizeTick   = 8
	sizeLabel  = 8
	sizeLegend = 8
	sizeNote   = 8
)

// lineHeight is the distance between baselines of one-line texts of a style.
func lineHeight(sty text.Style) vg.Length {
	return sty.Font.Size * 1.25
}

// measured is text.Plain with its measurements remembered: gonum measures a
// string two or three times per drawing and each measure walks the font
// tables glyph by glyph, which was most of the cost of a 300-row SVG.
type measured struct {
	text.Plain
	mu    sync.Mutex // a chart may render PNG and SVG at once
	boxes map[boxKey]box
}

type boxKey struct {
	font font.Font
	txt  string
}

type box struct{ w, h, d vg.Length }

// Box returns the size of one line of text.
func (m *measured) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	k := boxKey{fnt, txt}
	m.mu.Lock()
	b, ok := m.boxes[k]
	m.mu.Unlock()
	if !ok {
		b.w, b.h, b.d = m.Plain.Box(txt, fnt)
		m.mu.Lock()
		m.boxes[k] = b
		m.mu.Unlock()
	}
	return b.w, b.h, b.d
}

// Draw is text.Plain's Draw measuring through the cache.
func (m *measured) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	fnt := m.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := m.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - fnt.Extents().Ascent
	for i, line := range lines {
		w, _, _ := m.Box(line, sty.Font)
		n := vg.Length(len(lines) - i)
		c.FillString(fnt, pt.Add(vg.Point{X: vg.Length(sty.XAlign) * w, Y: n * sty.Font.Size}), line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
