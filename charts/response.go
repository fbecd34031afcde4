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

// ResponseText is the text of the response-rate chart.
type ResponseText struct {
	Title    string // headline; required
	Period   string // word before the period's name, e.g. "Periode"
	Type     string // the respondent type shown, or e.g. "Semua jenis responden"; required
	Units    string // header of the unit names; required
	Axis     string // x-axis caption, e.g. "Jumlah responden"; required
	Received string // legend of the bars, e.g. "Diterima"; required
	Required string // legend of the target, e.g. "Target sampel (margin 5 poin)"; required
}

// ResponseOptions selects the units and respondent type of the chart.
type ResponseOptions struct {
	Common
	Text      ResponseText
	Type      string   // respondent type; empty sums every type
	Units     []string // unit codes in row order; empty draws every unit in the results' order
	RowHeight float64  // points per unit, default 12
}

// respRow is one unit's responses against its target.
type respRow struct {
	code, name string
	received   int
	required   *int
}

// ResponseRate draws each unit's received responses as a bar against its
// required sample (ResponseCount.Required) drawn as a grey box with a tick.
func ResponseRate(res *analysis.Results, opt ResponseOptions) (*Chart, error) {
	t := opt.Text
	if err := check("response rate", "Title", t.Title, "Type", t.Type, "Units", t.Units, "Axis", t.Axis, "Received", t.Received, "Required", t.Required); err != nil {
		return nil, err
	}
	if opt.Type != "" && !slices.Contains(analysis.Types(), opt.Type) {
		return nil, fmt.Errorf("charts: response rate: unknown respondent type %q", opt.Type)
	}
	units, err := selectUnits(res, opt.Units)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, errors.New("charts: response rate: no units")
	}
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	f := opt.Format
	rows := make([]respRow, len(units))
	totRec, totReq, reqKnown := 0, 0, true
	top := 1.0
	for i, u := range units {
		rows[i] = responseRow(u, opt.Type)
		totRec += rows[i].received
		top = math.Max(top, float64(rows[i].received))
		if rows[i].required == nil {
			reqKnown = false
		} else {
			totReq += *rows[i].required
			top = math.Max(top, float64(*rows[i].required))
		}
	}
	total := f.count(totRec)
	if reqKnown {
		total = rateLabel(f, totRec, &totReq)
	}
	fr, err := newFrame(st, opt.Layout, t.Title, join(periodLine(t.Period, res.Period), t.Type, total))
	if err != nil {
		return nil, err
	}
	fr.legend = []legendItem{
		{label: t.Received, swatch: func(c draw.Canvas, r vg.Rectangle) {
			fillRect(c, colUnit(), vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Min.Y + 2.5}, Max: vg.Point{X: r.Max.X, Y: r.Max.Y - 2.5}})
		}},
		{label: t.Required, swatch: func(c draw.Canvas, r vg.Rectangle) { drawTarget(c, r, r.Max.X-1) }},
	}
	pitch := vg.Length(12)
	if opt.RowHeight > 0 {
		pitch = vg.Length(opt.RowHeight)
	}
	step := niceStep(top*1.05, 8)
	sc := scale{min: 0, max: math.Ceil(top*1.05/step) * step}
	bottom := axisHeight(st, true) + 4
	var topAxis vg.Length
	if len(rows) > 25 {
		topAxis = axisHeight(st, false)
	}
	const strip = 14
	fixed := strip + topAxis + bottom
	ch, err := newChart(fr, opt.Layout, fixed+vg.Length(len(rows))*pitch, fixed+vg.Length(len(rows))*minPitch)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		ch.marks = append(ch.marks, Mark{Row: r.code, Series: SeriesReceived, Value: ptr(float64(r.received)), Label: f.count(r.received)})
		m := Mark{Row: r.code, Series: SeriesRequired, Label: "—"}
		if r.required != nil {
			m.Value, m.Label = ptr(float64(*r.required)), f.count(*r.required)
		}
		ch.marks = append(ch.marks, m)
	}
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		body := fr.body(ch.h)
		drawResponse(c, st, body, rows, sc, step, strip, topAxis, bottom, t, f)
	}
	return ch, nil
}

// responseRow sums a unit's counts over the chosen type, or every type; the
// target is unknown when any summed type lacks one.
func responseRow(u *analysis.UnitResult, typ string) respRow {
	r := respRow{code: u.Code, name: u.Name}
	req, known, counted := 0, true, false
	for _, t := range analysis.Types() {
		rc, ok := u.ResponseCounts[t]
		if !ok || typ != "" && t != typ {
			continue
		}
		counted = true
		r.received += rc.Received
		if rc.Required == nil {
			known = false
		} else {
			req += *rc.Required
		}
	}
	if counted && known {
		r.required = &req
	}
	return r
}

// rateLabel is "42 / 60 (70%)".
func rateLabel(f Format, rec int, req *int) string {
	if req == nil {
		return f.count(rec) + " / —"
	}
	s := f.count(rec) + " / " + f.count(*req)
	if *req > 0 {
		s += " (" + f.percent(float64(rec)/float64(*req)) + ")"
	}
	return s
}

// drawTarget draws the required sample: a light box up to x with a dark tick at x.
func drawTarget(c draw.Canvas, r vg.Rectangle, x vg.Length) {
	fillRect(c, colTarget(), vg.Rectangle{Min: r.Min, Max: vg.Point{X: x, Y: r.Max.Y}})
	c.StrokeLine2(draw.LineStyle{Color: colInk(), Width: 1.4}, x, r.Min.Y, x, r.Max.Y)
}

// drawResponse paints the rows of the response-rate chart.
func drawResponse(c draw.Canvas, st *styles, r vg.Rectangle, rows []respRow, sc scale, step float64, strip, topAxis, bottom vg.Length, t ResponseText, f Format) {
	rowsTop := r.Max.Y - strip - topAxis
	rowsBottom := r.Min.Y + bottom
	pitch := (rowsTop - rowsBottom) / vg.Length(len(rows))
	size := min(vg.Length(sizeLabel), pitch*0.75)
	name := st.style(size, false, colInk())
	head := st.style(sizeLabel, true, colInk())
	labels := make([]string, len(rows))
	var valW, nameW vg.Length
	for i, row := range rows {
		labels[i] = rateLabel(f, row.received, row.required)
		valW = max(valW, name.Width(labels[i]))
		nameW = max(nameW, name.Width(row.name))
	}
	nameW = max(min(nameW, (r.Max.X-r.Min.X)*0.38), head.Width(t.Units))
	sc.lo, sc.hi = r.Min.X+nameW+8, r.Max.X-valW-10

	vGrid(c, sc, step, rowsBottom, rowsTop)
	xAxis(c, st, f, sc, rowsBottom, step, t.Axis, false)
	if topAxis > 0 {
		xAxis(c, st, f, sc, rowsTop, step, "", true)
	}
	put(c, head, vg.Point{X: r.Min.X, Y: r.Max.Y - strip/2}, t.Units, text.XLeft, text.YCenter)
	for i, row := range rows {
		y := rowsTop - (vg.Length(i)+0.5)*pitch
		put(c, name, vg.Point{X: r.Min.X, Y: y}, truncate(name, row.name, nameW), text.XLeft, text.YCenter)
		put(c, name, vg.Point{X: r.Max.X, Y: y}, labels[i], text.XRight, text.YCenter)
		if row.required != nil {
			h := pitch * 0.36
			drawTarget(c, vg.Rectangle{Min: vg.Point{X: sc.lo, Y: y - h}, Max: vg.Point{X: sc.lo, Y: y + h}}, sc.at(float64(*row.required)))
		}
		if row.received > 0 {
			h := pitch * 0.2
			fillRect(c, colUnit(), vg.Rectangle{Min: vg.Point{X: sc.lo, Y: y - h}, Max: vg.Point{X: sc.at(float64(row.received)), Y: y + h}})
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: colInk(), Width: 0.6}, sc.lo, rowsBottom, sc.lo, rowsTop)
}
