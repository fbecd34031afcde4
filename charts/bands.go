package charts

import (
	"image/color"
	"math"

	"integritas/analysis"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// band is a category band as drawn: [from, to) on the index scale.
type band struct {
	slug     string
	from, to float64
	color    color.RGBA // cell fill (heatmap)
	area     color.RGBA // lighter, for large shaded areas behind data
	shape    shape
}

// bandsOf resolves the period's category bands the way analysis.Category does
// (the kpk2025 preset when the settings hold none).
func bandsOf(s analysis.Settings) []band {
	src := s.Categories.Bands
	if len(src) == 0 {
		def, _ := analysis.PresetCategories("kpk2025")
		src = def.Bands
	}
	cols := bandColors(len(src))
	out := make([]band, len(src))
	for i, b := range src {
		to := 100.0
		if i+1 < len(src) {
			to = src[i+1].From
		}
		out[i] = band{slug: b.Slug, from: b.From, to: to, color: cols[i], area: tint(cols[i], 0.35), shape: bandShape(i, len(src))}
	}
	return out
}

// bandIndex returns the position of the band of v, using analysis.Category
// so charts and tables never disagree on a boundary.
func bandIndex(bands []band, s analysis.Settings, v float64) int {
	slug := analysis.Category(s, v).Slug
	for i, b := range bands {
		if b.slug == slug {
			return i
		}
	}
	return 0
}

// bandBySlug returns the position of a band slug, or -1.
func bandBySlug(bands []band, slug string) int {
	for i, b := range bands {
		if b.slug == slug {
			return i
		}
	}
	return -1
}

// rangeLabel writes a band's interval: "<73,0", "73,0–<78,0", "≥78,0".
func rangeLabel(bands []band, i int, f Format) string {
	switch {
	case len(bands) == 1:
		return ""
	case i == 0:
		return "<" + f.fixed(bands[0].to, 1)
	case i == len(bands)-1:
		return "≥" + f.fixed(bands[i].from, 1)
	}
	return f.fixed(bands[i].from, 1) + "–<" + f.fixed(bands[i].to, 1)
}

// bandLegend lists the bands from the safest down, each swatch showing the
// band colour (cell or area shade) with its marker shape, labelled with name
// and interval.
func bandLegend(bands []band, t Text, f Format, cells, withShape bool) []legendItem {
	var out []legendItem
	for i := len(bands) - 1; i >= 0; i-- {
		b := bands[i]
		out = append(out, legendItem{
			label: t.category(b.slug) + " " + rangeLabel(bands, i, f),
			swatch: func(c draw.Canvas, r vg.Rectangle) {
				fill := b.area
				if cells {
					fill = b.color
				}
				fillRect(c, fill, r)
				strokeRect(c, draw.LineStyle{Color: colGrid(), Width: 0.5}, r)
				if withShape {
					drawMarker(c, b.shape, center(r), 3, colInk(), false)
				}
			},
		})
	}
	return out
}

// shadeX shades the bands as vertical strips across [y0, y1] on an x scale.
func shadeX(c draw.Canvas, bands []band, sc scale, y0, y1 vg.Length) {
	for _, b := range bands {
		lo, hi := math.Max(b.from, sc.min), math.Min(b.to, sc.max)
		if hi <= lo {
			continue
		}
		fillRect(c, b.area, vg.Rectangle{Min: vg.Point{X: sc.at(lo), Y: y0}, Max: vg.Point{X: sc.at(hi), Y: y1}})
	}
}

// shadeY shades the bands as horizontal strips across [x0, x1] on a y scale.
func shadeY(c draw.Canvas, bands []band, sc scale, x0, x1 vg.Length) {
	for _, b := range bands {
		lo, hi := math.Max(b.from, sc.min), math.Min(b.to, sc.max)
		if hi <= lo {
			continue
		}
		fillRect(c, b.area, vg.Rectangle{Min: vg.Point{X: x0, Y: sc.at(lo)}, Max: vg.Point{X: x1, Y: sc.at(hi)}})
	}
}

// minGroup is the period's k, defaulting as analysis does and never below 3.
func minGroup(s analysis.Settings) int {
	if s.MinGroup == 0 {
		return analysis.DefaultSettings().MinGroup
	}
	return max(s.MinGroup, 3)
}
