package charts

import (
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// scale maps data values in [min, max] to canvas positions in [lo, hi].
type scale struct {
	min, max float64
	lo, hi   vg.Length
}

// at returns the canvas position of v.
func (s scale) at(v float64) vg.Length {
	if s.max == s.min {
		return s.lo
	}
	return s.lo + (s.hi-s.lo)*vg.Length((v-s.min)/(s.max-s.min))
}

// niceStep returns a step of 1, 2 or 5 × 10^k giving about target intervals.
func niceStep(span float64, target int) float64 {
	if span <= 0 || target < 1 {
		return 1
	}
	raw := span / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// ticks returns the multiples of step within [min, max].
func ticks(min, max, step float64) []float64 {
	var out []float64
	for v := math.Ceil(min/step-1e-9) * step; v <= max+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// axisHeight is the room a horizontal axis with a caption takes.
func axisHeight(st *styles, caption bool) vg.Length {
	h := 4 + lineHeight(st.style(sizeTick, false, colInk()))
	if caption {
		h += 3 + lineHeight(st.style(sizeAxis, false, colInk()))
	}
	return h
}

// xAxis draws a horizontal axis at height y with ticks pointing away from
// the data: below it when top is false, above it when true.
func xAxis(c draw.Canvas, st *styles, f Format, sc scale, y vg.Length, step float64, caption string, top bool) {
	line := draw.LineStyle{Color: colInk(), Width: 0.6}
	c.StrokeLine2(line, sc.lo, y, sc.hi, y)
	tick := st.style(sizeTick, false, colInk())
	dir := vg.Length(-1)
	ya := text.YTop
	if top {
		dir, ya = 1, text.YBottom
	}
	for _, v := range ticks(sc.min, sc.max, step) {
		x := sc.at(v)
		c.StrokeLine2(line, x, y, x, y+dir*3)
		put(c, tick, vg.Point{X: x, Y: y + dir*4}, f.tick(v, step), text.XCenter, ya)
	}
	if caption != "" {
		cy := y + dir*(4+lineHeight(tick)+3)
		put(c, st.style(sizeAxis, false, colInk()), vg.Point{X: (sc.lo + sc.hi) / 2, Y: cy}, caption, text.XCenter, ya)
	}
}

// yAxis draws a vertical axis at x with tick labels to its left and the
// caption rotated beside them.
func yAxis(c draw.Canvas, st *styles, f Format, sc scale, x vg.Length, step float64, caption string) {
	line := draw.LineStyle{Color: colInk(), Width: 0.6}
	c.StrokeLine2(line, x, sc.lo, x, sc.hi)
	tick := st.style(sizeTick, false, colInk())
	var widest vg.Length
	for _, v := range ticks(sc.min, sc.max, step) {
		y := sc.at(v)
		c.StrokeLine2(line, x-3, y, x, y)
		s := f.tick(v, step)
		widest = max(widest, tick.Width(s))
		put(c, tick, vg.Point{X: x - 5, Y: y}, s, text.XRight, text.YCenter)
	}
	if caption != "" {
		sty := st.style(sizeAxis, false, colInk())
		sty.Rotation = math.Pi / 2
		put(c, sty, vg.Point{X: x - 5 - widest - 4, Y: (sc.lo + sc.hi) / 2}, caption, text.XCenter, text.YBottom)
	}
}

// yAxisWidth is the room yAxis takes left of its line.
func yAxisWidth(st *styles, f Format, sc scale, step float64, caption bool) vg.Length {
	tick := st.style(sizeTick, false, colInk())
	var widest vg.Length
	for _, v := range ticks(sc.min, sc.max, step) {
		widest = max(widest, tick.Width(f.tick(v, step)))
	}
	w := 5 + widest
	if caption {
		w += 4 + lineHeight(st.style(sizeAxis, false, colInk()))
	}
	return w
}

// vGrid draws light vertical gridlines at the ticks between y0 and y1.
func vGrid(c draw.Canvas, sc scale, step float64, y0, y1 vg.Length) {
	sty := draw.LineStyle{Color: colGrid(), Width: 0.5}
	for _, v := range ticks(sc.min, sc.max, step) {
		c.StrokeLine2(sty, sc.at(v), y0, sc.at(v), y1)
	}
}

// hGrid draws light horizontal gridlines at the ticks between x0 and x1.
func hGrid(c draw.Canvas, sc scale, step float64, x0, x1 vg.Length) {
	sty := draw.LineStyle{Color: colGrid(), Width: 0.5}
	for _, v := range ticks(sc.min, sc.max, step) {
		c.StrokeLine2(sty, x0, sc.at(v), x1, sc.at(v))
	}
}

// fitScale fits a 0–100 score axis to the data: from a step below the
// lowest value (and below the first band edge, so every category shows)
// to a step above the highest (and above the last edge), at most 0–100.
// A profile of 73 and 87 then spans 60–100, not 0–100, and the two differ
// at a glance. target is about how many steps the axis has.
func fitScale(vals []float64, bands []band, target int) (scale, float64) {
	lo, hi := 100.0, 0.0
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if len(bands) > 1 {
		lo = math.Min(lo, bands[1].from-3)
		hi = math.Max(hi, bands[len(bands)-1].from+3)
	}
	if hi < lo {
		lo, hi = 0, 100
	}
	step := niceStep(hi-lo, target)
	return scale{min: math.Max(0, math.Floor(lo/step)*step), max: math.Min(100, math.Ceil(hi/step)*step)}, step
}
