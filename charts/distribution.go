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

// ErrNoScores reports results without respondent scores: Results.Scores is
// not serialised, so results read back from JSON cannot draw a distribution.
var ErrNoScores = errors.New("charts: results hold no respondent scores")

// DistributionText is the text of the score distribution.
type DistributionText struct {
	Text
	Type  string // the respondent type shown; required
	Axis  string // x-axis caption, e.g. "Skor komponen per responden (0–100)"; required
	Count string // y-axis caption, e.g. "Jumlah responden"; required
	Mean  string // label of the component score line, e.g. "Skor komponen"; required
}

// DistributionOptions picks the unit and type of the histogram.
type DistributionOptions struct {
	Common
	Text     DistributionText
	Unit     string  // unit code
	Type     string  // respondent type
	BinWidth float64 // score points per bin, default 10
}

// Distribution draws the histogram of a unit's respondent component scores
// of one type (Results.Scores) with the component score marked. Under the
// minimum group size, or when the component is suppressed, it draws nothing
// but the suppression note.
func Distribution(res *analysis.Results, opt DistributionOptions) (*Chart, error) {
	t := opt.Text
	if err := errors.Join(t.check("distribution"), check("distribution", "Type", t.Type, "Axis", t.Axis, "Count", t.Count, "Mean", t.Mean)); err != nil {
		return nil, err
	}
	if !slices.Contains(analysis.Types(), opt.Type) {
		return nil, fmt.Errorf("charts: distribution: unknown respondent type %q", opt.Type)
	}
	width := opt.BinWidth
	if width == 0 {
		width = 10
	}
	if !(width >= 1 && width <= 50) {
		return nil, fmt.Errorf("charts: distribution: bin width %v outside 1–50", opt.BinWidth)
	}
	u, err := findUnit(res, opt.Unit)
	if err != nil {
		return nil, err
	}
	k := minGroup(res.Settings)
	comp := u.Components[opt.Type]
	scores, have := res.Scores[u.Code][opt.Type]
	hidden := comp == nil || comp.Suppressed || comp.Score == nil
	if !hidden && !have {
		return nil, fmt.Errorf("%w: unit %q, type %q", ErrNoScores, u.Code, opt.Type)
	}
	hidden = hidden || len(scores) < k
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	f := opt.Format
	fr, err := newFrame(st, opt.Layout, t.Title, join(t.periodLine(res.Period), u.Name, t.Type))
	if err != nil {
		return nil, err
	}
	fr.counted = t.Counted
	note := t.suppressedNote(k, f)
	if hidden {
		ch, err := newChart(fr, opt.Layout, 120, 60)
		if err != nil {
			return nil, err
		}
		ch.notes = []string{note}
		ch.paint = func(c draw.Canvas) {
			fr.draw(c)
			b := fr.body(ch.h)
			put(c, st.style(28, false, colMuted()), vg.Point{X: center(b).X, Y: center(b).Y + 8}, "—", text.XCenter, text.YBottom)
			for i, l := range wrap(st.style(sizeSub, false, colInk()), note, b.Max.X-b.Min.X) {
				put(c, st.style(sizeSub, false, colInk()), vg.Point{X: center(b).X, Y: center(b).Y - vg.Length(i)*lineHeight(st.style(sizeSub, false, colInk()))}, l, text.XCenter, text.YTop)
			}
		}
		return ch, nil
	}

	fr.sub = join(fr.sub, nLabel(f, len(scores)))
	bins := histogram(scores, width)
	bands := bandsOf(res.Settings)
	fr.legend = append(bandLegend(bands, t.Text, f, false, false), legendItem{
		label: t.Mean + " " + f.score(*comp.Score),
		swatch: func(c draw.Canvas, r vg.Rectangle) {
			c.StrokeLine2(meanLine(), center(r).X, r.Min.Y, center(r).X, r.Max.Y)
		},
	})
	ch, err := newChart(fr, opt.Layout, 280, 150)
	if err != nil {
		return nil, err
	}
	for i, n := range bins {
		lo, hi := float64(i)*width, math.Min(100, float64(i+1)*width)
		ch.marks = append(ch.marks, Mark{Row: binLabel(f, lo, hi, i == len(bins)-1), Series: SeriesCount, Value: ptr(float64(n)), Label: f.count(n)})
	}
	mean := *comp.Score
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		drawHistogram(c, st, fr.body(ch.h), bins, width, mean, bands, t, f)
	}
	return ch, nil
}

// histogram counts scores in bins [0, w), [w, 2w) … with 100 in the last bin.
func histogram(scores []float64, w float64) []int {
	n := int(math.Ceil(100/w - 1e-9))
	bins := make([]int, n)
	for _, s := range scores {
		i := int(math.Floor(s / w))
		bins[max(0, min(i, n-1))]++
	}
	return bins
}

// binLabel writes a bin's interval, "[40–50)" or "[90–100]" for the last.
func binLabel(f Format, lo, hi float64, last bool) string {
	end := ")"
	if last {
		end = "]"
	}
	return "[" + f.tick(lo, 1) + "–" + f.tick(hi, 1) + end
}

// meanLine is the style of the component-score line.
func meanLine() draw.LineStyle {
	return draw.LineStyle{Color: colInk(), Width: 1.4, Dashes: []vg.Length{4, 2}}
}

// drawHistogram paints the bins over the bands with the component score line.
func drawHistogram(c draw.Canvas, st *styles, r vg.Rectangle, bins []int, width, mean float64, bands []band, t DistributionText, f Format) {
	top := 1
	for _, n := range bins {
		top = max(top, n)
	}
	ystep := math.Max(1, niceStep(float64(top), 5))
	ys := scale{min: 0, max: math.Ceil(float64(top)*1.1/ystep) * ystep}
	xs := scale{min: 0, max: 100, lo: r.Min.X + yAxisWidth(st, f, ys, ystep, true), hi: r.Max.X - 8}
	ys.lo, ys.hi = r.Min.Y+axisHeight(st, true), r.Max.Y-4

	shadeX(c, bands, xs, ys.lo, ys.hi)
	hGrid(c, ys, ystep, xs.lo, xs.hi)
	xAxis(c, st, f, xs, ys.lo, 10, t.Axis, false)
	yAxis(c, st, f, ys, xs.lo, ystep, t.Count)
	label := st.style(7.5, false, colInk())
	for i, n := range bins {
		lo, hi := float64(i)*width, math.Min(100, float64(i+1)*width)
		b := vg.Rectangle{Min: vg.Point{X: xs.at(lo) + 1, Y: ys.lo}, Max: vg.Point{X: xs.at(hi) - 1, Y: ys.at(float64(n))}}
		if n > 0 {
			fillRect(c, colSky(), b)
			strokeRect(c, draw.LineStyle{Color: colUnit(), Width: 0.8}, b)
			put(c, label, vg.Point{X: (b.Min.X + b.Max.X) / 2, Y: b.Max.Y + 2}, f.count(n), text.XCenter, text.YBottom)
		}
	}
	c.StrokeLine2(meanLine(), xs.at(mean), ys.lo, xs.at(mean), ys.hi)
}
