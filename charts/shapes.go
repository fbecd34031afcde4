package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// shape is a polygon marker; polygons (not arcs) keep the SVG geometry
// exact, so tests can read a marker's centre back from its path.
type shape int

const (
	shapeSquare shape = iota
	shapeDiamond
	shapeTriangleDown
	shapeCross
	shapeTriangleUp
	shapeHexagon
)

// bandShape gives each category band its own marker, counted from the safest
// band down, so the category stays readable in greyscale.
func bandShape(band, bands int) shape {
	order := [...]shape{shapeSquare, shapeDiamond, shapeTriangleDown, shapeCross, shapeTriangleUp, shapeHexagon}
	return order[(bands-1-band)%len(order)]
}

// points returns the shape's outline centred on c with half-size r.
func (s shape) points(c vg.Point, r vg.Length) []vg.Point {
	p := func(x, y float64) vg.Point { return vg.Point{X: c.X + r*vg.Length(x), Y: c.Y + r*vg.Length(y)} }
	switch s {
	case shapeSquare:
		k := 0.85 // a square looks larger than a diamond of the same half-size
		return []vg.Point{p(-k, -k), p(k, -k), p(k, k), p(-k, k)}
	case shapeDiamond:
		return []vg.Point{p(0, -1.15), p(1.15, 0), p(0, 1.15), p(-1.15, 0)}
	case shapeTriangleDown:
		return []vg.Point{p(-1.1, 0.8), p(1.1, 0.8), p(0, -1.1)}
	case shapeTriangleUp:
		return []vg.Point{p(-1.1, -0.8), p(1.1, -0.8), p(0, 1.1)}
	case shapeCross:
		a, b := 0.35, 1.0
		return []vg.Point{p(-a, -b), p(a, -b), p(a, -a), p(b, -a), p(b, a), p(a, a), p(a, b), p(-a, b), p(-a, a), p(-b, a), p(-b, -a), p(-a, -a)}
	default:
		var out []vg.Point
		for i := range 6 {
			a := math.Pi/6 + float64(i)*math.Pi/3
			out = append(out, p(math.Cos(a), math.Sin(a)))
		}
		return out
	}
}

// drawMarker fills the shape, or outlines it when hollow (a partial index).
func drawMarker(c draw.Canvas, s shape, at vg.Point, r vg.Length, col color.Color, hollow bool) {
	pts := s.points(at, r)
	if hollow {
		c.FillPolygon(color.White, pts)
		c.StrokeLines(draw.LineStyle{Color: col, Width: 1.1}, append(pts, pts[0]))
		return
	}
	c.FillPolygon(col, pts)
}

// fillRect fills an axis-aligned rectangle.
func fillRect(c draw.Canvas, col color.Color, r vg.Rectangle) {
	c.FillPolygon(col, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// strokeRect outlines an axis-aligned rectangle.
func strokeRect(c draw.Canvas, sty draw.LineStyle, r vg.Rectangle) {
	c.StrokeLines(sty, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
}

// hatch fills r grey with diagonal lines: how a suppressed cell looks, so it
// can never be mistaken for a low score.
func hatch(c draw.Canvas, r vg.Rectangle) {
	if h, ok := c.Canvas.(interface{ hatch(vg.Rectangle) bool }); ok && h.hatch(r) {
		return
	}
	fillRect(c, colHidden(), r)
	const gap = 4
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	// Lines x − y = d for d from −h to w, clipped to the rectangle, as one
	// path: one stroke per cell rather than one per line.
	var p vg.Path
	for d := -h + gap/2; d < w; d += gap {
		x0, x1 := max(d, 0), min(w, d+h)
		p.Move(vg.Point{X: r.Min.X + x0, Y: r.Min.Y + x0 - d})
		p.Line(vg.Point{X: r.Min.X + x1, Y: r.Min.Y + x1 - d})
	}
	c.SetLineStyle(draw.LineStyle{Color: colHatch(), Width: 0.6})
	c.Stroke(p)
}

// whisker draws a horizontal or vertical error bar with end caps.
func whisker(c draw.Canvas, from, to vg.Point, capLen vg.Length, col color.Color) {
	sty := draw.LineStyle{Color: col, Width: 1}
	c.StrokeLines(sty, []vg.Point{from, to})
	if from.Y == to.Y { // horizontal
		c.StrokeLine2(sty, from.X, from.Y-capLen, from.X, from.Y+capLen)
		c.StrokeLine2(sty, to.X, to.Y-capLen, to.X, to.Y+capLen)
		return
	}
	c.StrokeLine2(sty, from.X-capLen, from.Y, from.X+capLen, from.Y)
	c.StrokeLine2(sty, to.X-capLen, to.Y, to.X+capLen, to.Y)
}

// center returns the centre of r.
func center(r vg.Rectangle) vg.Point {
	return vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
}
