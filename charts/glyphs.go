package charts

import (
	"errors"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// offsets returns each rune's pen position from the start of s, in points:
// advances and kerning in font units scaled to the size, exactly as
// gonum/plot's font.Face.Width adds them up, so the last glyph ends where
// the measured width (and the SVG's textLength) says.
func (r *raster) offsets(f font.Face, s string) []vg.Length {
	out := r.offBuf[:0]
	upem := fixed.Int26_6(f.Face.UnitsPerEm())
	scale := f.Font.Size / vg.Length(upem)
	var (
		units     int
		prev, idx sfnt.GlyphIndex
		hasPrev   bool
	)
	for _, c := range s {
		var err error
		idx, err = f.Face.GlyphIndex(&r.sfntBuf, c)
		if err != nil {
			idx = 0
		}
		if hasPrev {
			k, err := f.Face.Kern(&r.sfntBuf, prev, idx, upem, fontHinting)
			if err == nil {
				units += int(k)
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				panic(err) // as gonum's Width does; the render recovers it
			}
		}
		out = append(out, vg.Length(units)*scale)
		adv, err := f.Face.GlyphAdvance(&r.sfntBuf, idx, upem, fontHinting)
		if err != nil {
			panic(err)
		}
		units += int(adv)
		prev, hasPrev = idx, true
	}
	r.offBuf = out
	return out
}

// fontHinting is gonum/plot's hinting for OpenType fonts.
const fontHinting = xfont.HintingNone
