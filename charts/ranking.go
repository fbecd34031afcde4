package charts

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strings"

	"integritas/analysis"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RankingText is the text of the ranking chart.
type RankingText struct {
	Text
	Axis    string // x-axis caption, e.g. "Indeks (0–100)"; required
	Units   string // header of the unit names, e.g. "Unit kerja"; required
	Value   string // header of the value column, e.g. "Indeks"
	CI      string // legend of the whiskers, e.g. "Interval kepercayaan 95%"; required
	Partial string // legend of hollow markers and "†": index without every respondent type; required
	// Ranked is the subtitle's count of ranked units, "{n}" the number,
	// e.g. "{n} unit berperingkat"; empty prints "n = 35", which readers
	// took for respondents.
	Ranked string
}

// RankingOptions selects the units and labels the ranking.
type RankingOptions struct {
	Common
	Text      RankingText
	Units     []string // unit codes to rank; empty ranks every unit
	RowHeight float64  // points per unit, default 12
}

// rankRow is one unit of the ranking.
type rankRow struct {
	code, name string
	value      *float64
	ci         *[2]float64
	band       int
	partial    bool
	n          int
}

// Ranking draws every unit's index sorted from the highest, with its 95 %
// CI whisker over the category bands; suppressed units close the list with "—".
func Ranking(res *analysis.Results, opt RankingOptions) (*Chart, error) {
	t := opt.Text
	if err := errors.Join(t.check("ranking"), check("ranking", "Axis", t.Axis, "Units", t.Units, "CI", t.CI, "Partial", t.Partial)); err != nil {
		return nil, err
	}
	units, err := selectUnits(res, opt.Units)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, errors.New("charts: ranking: no units")
	}
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	f := opt.Format
	bands := bandsOf(res.Settings)
	rows := rankRows(units, bands, res.Settings)

	lo := 100.0
	anyPartial, anyHidden := false, false
	for _, r := range rows {
		if r.value == nil {
			anyHidden = true
			continue
		}
		lo = math.Min(lo, *r.value)
		if r.ci != nil {
			lo = math.Min(lo, r.ci[0])
		}
		anyPartial = anyPartial || r.partial
	}
	// Keep every band edge in view so the categories always show.
	if len(bands) > 1 {
		lo = math.Min(lo, bands[1].from-3)
	}
	step := niceStep(100-lo, 8)
	sc := scale{min: math.Max(0, math.Floor(lo/step)*step), max: 100}

	fr, err := newFrame(st, opt.Layout, t.Title, join(t.periodLine(res.Period), nUnits(f, rows, t.Ranked)))
	if err != nil {
		return nil, err
	}
	fr.counted = t.Counted
	fr.legend = bandLegend(bands, t.Text, f, false, true)
	fr.legend = append(fr.legend, legendItem{label: t.CI, swatch: func(c draw.Canvas, r vg.Rectangle) {
		m := center(r)
		whisker(c, vg.Point{X: r.Min.X, Y: m.Y}, vg.Point{X: r.Max.X, Y: m.Y}, 2.5, colInk())
	}})
	if anyPartial {
		fr.legend = append(fr.legend, legendItem{label: "† " + t.Partial, swatch: func(c draw.Canvas, r vg.Rectangle) {
			drawMarker(c, shapeSquare, center(r), 3.5, colInk(), true)
		}})
	}
	if anyHidden {
		fr.notes = append(fr.notes, t.suppressedNote(minGroup(res.Settings), f))
	}

	pitch := vg.Length(12)
	if opt.RowHeight > 0 {
		pitch = vg.Length(opt.RowHeight)
	}
	g := rankGeom{strip: 14, bottom: axisHeight(st, true) + 4}
	if len(rows) > 25 { // a long list repeats the scale on top
		g.top = axisHeight(st, false)
	}
	fixed := g.strip + g.top + g.bottom
	ch, err := newChart(fr, opt.Layout, fixed+vg.Length(len(rows))*pitch, fixed+vg.Length(len(rows))*minPitch)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m := Mark{Row: r.code, Series: SeriesIndex, Value: r.value, Label: "—"}
		if r.value != nil {
			m.Label = f.score(*r.value)
		}
		if r.ci != nil {
			m.Low, m.High = ptr(r.ci[0]), ptr(r.ci[1])
		}
		ch.marks = append(ch.marks, m)
	}
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		drawRanking(c, st, fr.body(ch.h), g, rows, bands, sc, step, t, f)
	}
	return ch, nil
}

// minPitch is the least height of a row, in points, before rows overlap.
const minPitch = 4

// nUnits is the subtitle's count of ranked units with an index.
func nUnits(f Format, rows []rankRow, ranked string) string {
	n := 0
	for _, r := range rows {
		if r.value != nil {
			n++
		}
	}
	if ranked != "" {
		return strings.ReplaceAll(ranked, "{n}", f.count(n))
	}
	return nLabel(f, n)
}

// rankRows sorts the units by index, highest first, suppressed last by name.
func rankRows(units []*analysis.UnitResult, bands []band, s analysis.Settings) []rankRow {
	rows := make([]rankRow, 0, len(units))
	for _, u := range units {
		r := rankRow{code: u.Code, name: u.Name, partial: u.Partial, n: indexN(u)}
		if !u.Suppressed && u.Index != nil {
			r.value, r.ci = u.Index, u.CI
			if r.band = bandBySlug(bands, u.Category); r.band < 0 {
				r.band = bandIndex(bands, s, *u.Index)
			}
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b rankRow) int {
		switch {
		case a.value == nil && b.value == nil:
			return cmp.Compare(a.name, b.name)
		case a.value == nil:
			return 1
		case b.value == nil:
			return -1
		}
		return cmp.Or(cmp.Compare(*b.value, *a.value), cmp.Compare(a.name, b.name))
	})
	return rows
}

// rankGeom holds the vertical room of the ranking's parts.
type rankGeom struct {
	strip  vg.Length // column headers and band names
	top    vg.Length // repeated scale on top, for long lists
	bottom vg.Length // scale with caption
}

// drawRanking paints the ranking body into r.
func drawRanking(c draw.Canvas, st *styles, r vg.Rectangle, g rankGeom, rows []rankRow, bands []band, sc scale, step float64, t RankingText, f Format) {
	rowsTop := r.Max.Y - g.strip - g.top
	rowsBottom := r.Min.Y + g.bottom
	pitch := (rowsTop - rowsBottom) / vg.Length(len(rows))
	size := min(vg.Length(sizeLabel), pitch*0.75)
	name := st.style(size, false, colInk())
	muted := st.style(size, false, colMuted())
	head := st.style(sizeLabel, true, colInk())

	labels := make([]string, len(rows))
	ns := make([]string, len(rows))
	var idxW, nW, nameW vg.Length
	for i, row := range rows {
		labels[i] = "—"
		if row.value != nil {
			labels[i] = f.score(*row.value)
			if row.partial {
				labels[i] += " †"
			}
		}
		if row.value != nil { // a hidden index hides its n too
			ns[i] = nLabel(f, row.n)
		}
		idxW = max(idxW, name.Width(labels[i]), head.Width(t.Value))
		nW = max(nW, muted.Width(ns[i]))
		nameW = max(nameW, name.Width(row.name))
	}
	nameW = min(nameW, (r.Max.X-r.Min.X)*0.38)
	nameW = max(nameW, head.Width(t.Units))
	idxRight := r.Max.X - nW - 8
	sc.lo, sc.hi = r.Min.X+nameW+8, idxRight-idxW-10

	shadeX(c, bands, sc, rowsBottom, r.Max.Y)
	for i := 1; i < len(rows); i += 2 {
		// Zebra rows guide the eye across a long list; opaque darker shades
		// rather than a translucent overlay keep the raster fast path.
		y := rowsTop - vg.Length(i+1)*pitch
		fillRect(c, zebra(rgb(0xFF, 0xFF, 0xFF)), vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: y}, Max: vg.Point{X: r.Max.X, Y: y + pitch}})
		for _, b := range bands {
			lo, hi := math.Max(b.from, sc.min), math.Min(b.to, sc.max)
			if hi > lo {
				fillRect(c, zebra(b.area), vg.Rectangle{Min: vg.Point{X: sc.at(lo), Y: y}, Max: vg.Point{X: sc.at(hi), Y: y + pitch}})
			}
		}
	}
	vGrid(c, sc, step, rowsBottom, rowsTop)
	xAxis(c, st, f, sc, rowsBottom, step, t.Axis, false)
	if g.top > 0 {
		xAxis(c, st, f, sc, rowsTop, step, "", true)
	}

	stripY := r.Max.Y - g.strip/2
	put(c, head, vg.Point{X: r.Min.X, Y: stripY}, t.Units, text.XLeft, text.YCenter)
	put(c, head, vg.Point{X: idxRight, Y: stripY}, t.Value, text.XRight, text.YCenter)
	band := st.style(sizeLabel, false, colInk())
	for i, b := range bands {
		lo, hi := math.Max(b.from, sc.min), math.Min(b.to, sc.max)
		if hi <= lo {
			continue
		}
		w := sc.at(hi) - sc.at(lo)
		for _, s := range []string{t.category(b.slug) + " " + rangeLabel(bands, i, f), t.category(b.slug)} {
			if band.Width(s)+4 <= w {
				put(c, band, vg.Point{X: (sc.at(lo) + sc.at(hi)) / 2, Y: stripY}, s, text.XCenter, text.YCenter)
				break
			}
		}
	}

	rad := min(3.5, pitch*0.32)
	capLen := min(2.5, pitch*0.25)
	for i, row := range rows {
		y := rowsTop - (vg.Length(i)+0.5)*pitch
		sty := name
		if row.value == nil {
			sty = muted
		}
		put(c, sty, vg.Point{X: r.Min.X, Y: y}, truncate(sty, row.name, nameW), text.XLeft, text.YCenter)
		put(c, sty, vg.Point{X: idxRight, Y: y}, labels[i], text.XRight, text.YCenter)
		put(c, muted, vg.Point{X: r.Max.X, Y: y}, ns[i], text.XRight, text.YCenter)
		if row.value == nil {
			continue
		}
		if row.ci != nil {
			whisker(c, vg.Point{X: sc.at(row.ci[0]), Y: y}, vg.Point{X: sc.at(row.ci[1]), Y: y}, capLen, colInk())
		}
		drawMarker(c, bands[row.band].shape, vg.Point{X: sc.at(*row.value), Y: y}, rad, colInk(), row.partial)
	}
}
