package charts

import (
	"errors"

	"integritas/analysis"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TrendPoint is one period of a unit's trend.
type TrendPoint struct {
	Period string               // period label, e.g. "SPI 2025"
	Unit   analysis.IndexFigure // the unit's index that period; suppressed draws "—"
	City   *float64             // the city's index that period, nil when absent
	N      *int                 // respondents behind the unit's index, printed under the period when known
}

// TrendText is the text of the trend chart.
type TrendText struct {
	Text
	Axis    string // y-axis caption, e.g. "Indeks (0–100)"; required
	Periods string // x-axis caption, e.g. "Periode survei"; required
	City    string // legend of the city line, e.g. "Indeks kota"; required
	CI      string // legend of the whiskers; required
	Partial string // legend of hollow markers: index without every respondent type; required
}

// TrendOptions labels the trend; the bands are those of Settings (usually
// the latest period's; zero settings give the kpk2025 preset).
type TrendOptions struct {
	Common
	Text     TrendText
	Unit     string // the unit's name for the legend
	Settings analysis.Settings
}

// Trend draws a unit's index with 95 % CI whiskers and the city's index over
// periods, oldest first, over the category bands.
func Trend(points []TrendPoint, opt TrendOptions) (*Chart, error) {
	t := opt.Text
	if err := errors.Join(t.check("trend"), check("trend", "Axis", t.Axis, "Periods", t.Periods, "City", t.City, "CI", t.CI, "Partial", t.Partial)); err != nil {
		return nil, err
	}
	if len(points) == 0 {
		return nil, errors.New("charts: trend: no periods")
	}
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	f := opt.Format
	bands := bandsOf(opt.Settings)
	var vals []float64
	anyHidden, anyPartial := false, false
	for _, p := range points {
		if p.City != nil {
			vals = append(vals, *p.City)
		}
		if !shown(p.Unit) {
			anyHidden = true
			continue
		}
		anyPartial = anyPartial || p.Unit.Partial
		vals = append(vals, *p.Unit.Index)
		if p.Unit.CI != nil {
			vals = append(vals, p.Unit.CI[0], p.Unit.CI[1])
		}
	}
	sc, step := fitScale(vals, bands, 6)

	fr, err := newFrame(st, opt.Layout, t.Title, t.periodLine(periodSpan(points)))
	if err != nil {
		return nil, err
	}
	fr.counted = t.Counted
	fr.legend = []legendItem{
		{label: opt.Unit, swatch: func(c draw.Canvas, r vg.Rectangle) {
			m := center(r)
			c.StrokeLine2(draw.LineStyle{Color: colUnit(), Width: 1.6}, r.Min.X, m.Y, r.Max.X, m.Y)
			drawMarker(c, shapeSquare, m, 3, colUnit(), false)
		}},
		{label: t.City, swatch: func(c draw.Canvas, r vg.Rectangle) {
			m := center(r)
			c.StrokeLine2(cityLine(), r.Min.X, m.Y, r.Max.X, m.Y)
			drawMarker(c, shapeDiamond, m, 3, colCity(), false)
		}},
		{label: t.CI, swatch: func(c draw.Canvas, r vg.Rectangle) {
			m := center(r)
			whisker(c, vg.Point{X: m.X, Y: r.Min.Y}, vg.Point{X: m.X, Y: r.Max.Y}, 2.5, colInk())
		}},
	}
	fr.legend = append(fr.legend, bandLegend(bands, t.Text, f, false, false)...)
	if anyPartial {
		fr.legend = append(fr.legend, legendItem{label: "† " + t.Partial, swatch: func(c draw.Canvas, r vg.Rectangle) {
			drawMarker(c, shapeSquare, center(r), 3.5, colUnit(), true)
		}})
	}
	if anyHidden {
		fr.notes = []string{t.suppressedNote(minGroup(opt.Settings), f)}
	}
	ch, err := newChart(fr, opt.Layout, 280, 150)
	if err != nil {
		return nil, err
	}
	for _, p := range points {
		m := Mark{Row: p.Period, Series: SeriesUnit, Label: "—"}
		if shown(p.Unit) {
			m.Value, m.Label = p.Unit.Index, f.score(*p.Unit.Index)
			if p.Unit.CI != nil {
				m.Low, m.High = ptr(p.Unit.CI[0]), ptr(p.Unit.CI[1])
			}
		}
		ch.marks = append(ch.marks, m)
		m = Mark{Row: p.Period, Series: SeriesCity, Value: p.City, Label: "—"}
		if p.City != nil {
			m.Label = f.score(*p.City)
		}
		ch.marks = append(ch.marks, m)
	}
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		drawTrend(c, st, fr.body(ch.h), points, bands, sc, step, t, f)
	}
	return ch, nil
}

// shown reports whether an index figure is published.
func shown(x analysis.IndexFigure) bool { return !x.Suppressed && x.Index != nil }

// cityLine is the dashed style of the city's line.
func cityLine() draw.LineStyle {
	return draw.LineStyle{Color: colCity(), Width: 1.4, Dashes: []vg.Length{4, 2.5}}
}

// drawTrend paints the trend body.
func drawTrend(c draw.Canvas, st *styles, r vg.Rectangle, points []TrendPoint, bands []band, sc scale, step float64, t TrendText, f Format) {
	tick := st.style(sizeTick, false, colInk())
	value := st.style(7.5, false, colUnit())
	lines := 1
	for _, p := range points {
		if p.N != nil {
			lines = 2
		}
	}
	left := r.Min.X + yAxisWidth(st, f, sc, step, true)
	right := r.Max.X - 8
	sc.lo = r.Min.Y + vg.Length(lines)*lineHeight(tick) + 4 + 3 + lineHeight(st.style(sizeAxis, false, colInk()))
	sc.hi = r.Max.Y - 6
	shadeY(c, bands, sc, left, right)
	hGrid(c, sc, step, left, right)
	yAxis(c, st, f, sc, left, step, t.Axis)
	c.StrokeLine2(draw.LineStyle{Color: colInk(), Width: 0.6}, left, sc.lo, right, sc.lo)
	put(c, st.style(sizeAxis, false, colInk()), vg.Point{X: (left + right) / 2, Y: r.Min.Y}, t.Periods, text.XCenter, text.YBottom)

	slot := (right - left) / vg.Length(len(points))
	xs := make([]vg.Length, len(points))
	for i, p := range points {
		xs[i] = left + (vg.Length(i)+0.5)*slot
		put(c, tick, vg.Point{X: xs[i], Y: sc.lo - 4}, p.Period, text.XCenter, text.YTop)
		if p.N != nil {
			put(c, st.style(sizeTick, false, colMuted()), vg.Point{X: xs[i], Y: sc.lo - 4 - lineHeight(tick)}, nLabel(f, *p.N), text.XCenter, text.YTop)
		}
	}
	// Lines first, so markers and whiskers sit on top; a hidden period breaks the line.
	var city, unit []vg.Point
	flush := func(pts *[]vg.Point, sty draw.LineStyle) {
		if len(*pts) > 1 {
			c.StrokeLines(sty, *pts)
		}
		*pts = nil
	}
	for i, p := range points {
		if p.City != nil {
			city = append(city, vg.Point{X: xs[i], Y: sc.at(*p.City)})
		} else {
			flush(&city, cityLine())
		}
		if shown(p.Unit) {
			unit = append(unit, vg.Point{X: xs[i], Y: sc.at(*p.Unit.Index)})
		} else {
			flush(&unit, draw.LineStyle{Color: colUnit(), Width: 1.6})
		}
	}
	flush(&city, cityLine())
	flush(&unit, draw.LineStyle{Color: colUnit(), Width: 1.6})

	for i, p := range points {
		if p.City != nil {
			drawMarker(c, shapeDiamond, vg.Point{X: xs[i], Y: sc.at(*p.City)}, 3.2, colCity(), false)
		}
		if !shown(p.Unit) {
			put(c, st.style(11, true, colMuted()), vg.Point{X: xs[i], Y: sc.lo + 4}, "—", text.XCenter, text.YBottom)
			continue
		}
		y := sc.at(*p.Unit.Index)
		if p.Unit.CI != nil {
			whisker(c, vg.Point{X: xs[i], Y: sc.at(p.Unit.CI[0])}, vg.Point{X: xs[i], Y: sc.at(p.Unit.CI[1])}, 3, colInk())
		}
		drawMarker(c, shapeSquare, vg.Point{X: xs[i], Y: y}, 3.8, colUnit(), p.Unit.Partial)
		s := f.score(*p.Unit.Index)
		if p.Unit.Partial {
			s += " †"
		}
		put(c, value, vg.Point{X: xs[i] + 7, Y: y}, s, text.XLeft, text.YCenter)
	}
}

// periodSpan names the periods shown: "SPI 2024 – SPI 2026".
func periodSpan(points []TrendPoint) string {
	first, last := points[0].Period, points[len(points)-1].Period
	if len(points) == 1 || first == last {
		return last
	}
	return first + " – " + last
}
