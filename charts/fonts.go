package charts

import (
	"fmt"
	"image/color"

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
	handler text.Plain
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
	return &styles{handler: text.Plain{Fonts: font.NewCache(coll)}}, nil
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
