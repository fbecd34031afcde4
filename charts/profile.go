package charts

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"integritas/analysis"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ProfileText is the text of a unit's element profile.
type ProfileText struct {
	Text
	Type     string            // the respondent type shown, e.g. "Responden internal"; required
	City     string            // legend of the city's bars, e.g. "Kota"; required
	Axis     string            // y-axis caption, e.g. "Skor (0–100)"; required
	CI       string            // legend of the whiskers; required
	Elements map[string]string // element code → name; a missing code prints the code
}

// ProfileOptions picks the unit and respondent type of the profile.
type ProfileOptions struct {
	Common
	Text     ProfileText
	Unit     string   // unit code
	Type     string   // respondent type
	Elements []string // element codes in order; empty takes the codes present, sorted
}

// Profile draws a unit's element scores of one respondent type beside the
// city's pooled scores, as grouped bars with 95 % CI whiskers.
func Profile(res *analysis.Results, opt ProfileOptions) (*Chart, error) {
	t := opt.Text
	if err := errors.Join(t.check("profile"), check("profile", "Type", t.Type, "City", t.City, "Axis", t.Axis, "CI", t.CI)); err != nil {
		return nil, err
	}
	if !slices.Contains(analysis.Types(), opt.Type) {
		return nil, fmt.Errorf("charts: profile: unknown respondent type %q", opt.Type)
	}
	u, err := findUnit(res, opt.Unit)
	if err != nil {
		return nil, err
	}
	uc, cc := u.Components[opt.Type], res.City.Pooled.Components[opt.Type]
	cols := presentElements(elementOrder(opt.Elements, uc, cc), []*analysis.Component{uc, cc})
	if len(cols) == 0 {
		return nil, fmt.Errorf("charts: profile: no element scores of type %q", opt.Type)
	}
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	f := opt.Format
	groups := make([]barGroup, len(cols))
	for i, e := range cols {
		groups[i] = barGroup{name: elementName(t.Elements, e), bars: []bar{barOf(uc, e), barOf(cc, e)}}
	}
	fr, err := newFrame(st, opt.Layout, t.Title, join(t.periodLine(res.Period), t.Type))
	if err != nil {
		return nil, err
	}
	fr.counted = t.Counted
	fr.legend = []legendItem{
		{label: withN(f, u.Name, uc), swatch: func(c draw.Canvas, r vg.Rectangle) { drawBar(c, r, 0) }},
		{label: withN(f, t.City, cc), swatch: func(c draw.Canvas, r vg.Rectangle) { drawBar(c, r, 1) }},
		{label: t.CI, swatch: func(c draw.Canvas, r vg.Rectangle) {
			m := center(r)
			whisker(c, vg.Point{X: m.X, Y: r.Min.Y}, vg.Point{X: m.X, Y: r.Max.Y}, 2.5, colInk())
		}},
	}
	var marks []Mark
	for i, g := range groups {
		for j, b := range g.bars {
			if b.value == nil {
				fr.notes = []string{t.suppressedNote(minGroup(res.Settings), f)}
			}
			marks = append(marks, b.mark(cols[i], []string{SeriesUnit, SeriesCity}[j], f))
		}
	}
	ch, err := newChart(fr, opt.Layout, 300, 150)
	if err != nil {
		return nil, err
	}
	ch.marks = marks
	bands := bandsOf(res.Settings)
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		drawGroups(c, st, fr.body(ch.h), groups, bands, t.Text, t.Axis, f)
	}
	return ch, nil
}

// bar is one bar of a group: a score with its CI, nil when suppressed.
type bar struct {
	value *float64
	ci    *[2]float64
}

// barOf returns a component's element figure as a bar.
func barOf(c *analysis.Component, e string) bar {
	if c == nil || c.Elements[e] == nil || c.Elements[e].Suppressed {
		return bar{}
	}
	return bar{value: c.Elements[e].Score, ci: c.Elements[e].CI}
}

// mark records the bar as drawn.
func (b bar) mark(row, series string, f Format) Mark {
	m := Mark{Row: row, Series: series, Value: b.value, Label: "—"}
	if b.value != nil {
		m.Label = f.score(*b.value)
	}
	if b.ci != nil {
		m.Low, m.High = ptr(b.ci[0]), ptr(b.ci[1])
	}
	return m
}

// barGroup is the bars of one element.
type barGroup struct {
	name string
	bars []bar
}

// drawBar fills a bar of series i: the unit solid blue, the city light
// vermillion with a dark outline, so the two differ in lightness too.
func drawBar(c draw.Canvas, r vg.Rectangle, i int) {
	if i == 0 {
		fillRect(c, colUnit(), r)
		return
	}
	fillRect(c, tint(colCity(), 0.55), r)
	strokeRect(c, draw.LineStyle{Color: colCity(), Width: 1}, r)
}

// drawGroups paints grouped vertical bars on a score axis fitted to the
// bars and their CIs, over the shaded bands, whose edges are dashed lines
// named on the right.
func drawGroups(c draw.Canvas, st *styles, r vg.Rectangle, groups []barGroup, bands []band, t Text, caption string, f Format) {
	tick := st.style(sizeTick, false, colInk())
	head := st.style(sizeLabel, false, colInk())
	var bandW vg.Length
	for _, b := range bands {
		bandW = max(bandW, tick.Width(t.category(b.slug)))
	}
	var vals []float64
	for _, g := range groups {
		for _, b := range g.bars {
			if b.value != nil {
				vals = append(vals, *b.value)
			}
			if b.ci != nil {
				vals = append(vals, b.ci[0], b.ci[1])
			}
		}
	}
	sc, step := fitScale(vals, bands, 6)
	left := r.Min.X + yAxisWidth(st, f, sc, step, true)
	right := r.Max.X - bandW - 6
	gw := (right - left) / vg.Length(len(groups))
	var lines int
	for _, g := range groups {
		lines = max(lines, len(wrap(head, g.name, gw-6)))
	}
	sc.lo = r.Min.Y + vg.Length(lines)*lineHeight(head) + 6
	sc.hi = r.Max.Y - 12

	shadeY(c, bands, sc, left, right)
	hGrid(c, sc, step, left, right)
	dash := draw.LineStyle{Color: colMuted(), Width: 0.7, Dashes: []vg.Length{3, 2}}
	for i, b := range bands {
		lo, hi := math.Max(b.from, sc.min), math.Min(b.to, sc.max)
		if hi <= lo {
			continue
		}
		if i > 0 && b.from >= sc.min {
			c.StrokeLine2(dash, left, sc.at(b.from), right, sc.at(b.from))
		}
		put(c, tick, vg.Point{X: right + 4, Y: (sc.at(lo) + sc.at(hi)) / 2}, t.category(b.slug), text.XLeft, text.YCenter)
	}
	yAxis(c, st, f, sc, left, step, caption)
	c.StrokeLine2(draw.LineStyle{Color: colInk(), Width: 0.6}, left, sc.lo, right, sc.lo)

	n := vg.Length(len(groups[0].bars))
	bw := min(gw*0.8/n, 42)
	value := st.style(7, false, colInk())
	for i, g := range groups {
		mid := left + (vg.Length(i)+0.5)*gw
		for k, l := range wrap(head, g.name, gw-6) {
			put(c, head, vg.Point{X: mid, Y: sc.lo - 4 - vg.Length(k)*lineHeight(head)}, l, text.XCenter, text.YTop)
		}
		for j, b := range g.bars {
			x0 := mid - n*bw/2 + vg.Length(j)*bw
			cx := x0 + bw/2
			if b.value == nil {
				put(c, st.style(11, true, colMuted()), vg.Point{X: cx, Y: sc.lo + 3}, "—", text.XCenter, text.YBottom)
				continue
			}
			drawBar(c, vg.Rectangle{Min: vg.Point{X: x0 + 1, Y: sc.lo}, Max: vg.Point{X: x0 + bw - 1, Y: sc.at(*b.value)}}, j)
			top := sc.at(*b.value)
			if b.ci != nil {
				whisker(c, vg.Point{X: cx, Y: sc.at(b.ci[0])}, vg.Point{X: cx, Y: sc.at(b.ci[1])}, min(3, bw/4), colInk())
				top = max(top, sc.at(b.ci[1]))
			}
			put(c, value, vg.Point{X: cx, Y: top + 2}, cellText(value, f, *b.value, bw), text.XCenter, text.YBottom)
		}
	}
}
