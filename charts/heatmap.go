package charts

import (
	"errors"
	"fmt"
	"slices"

	"integritas/analysis"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapText is the text of the units × elements heatmap.
type HeatmapText struct {
	Text
	Type     string            // the respondent type shown, e.g. "Responden internal"; required
	Units    string            // header of the row labels, e.g. "Unit kerja"; required
	City     string            // label of the city row, e.g. "Kota (semua unit)"; required
	Elements map[string]string // element code → column header; a missing code prints the code
}

// HeatmapOptions selects the respondent type, rows and columns of the heatmap.
type HeatmapOptions struct {
	Common
	Text      HeatmapText
	Type      string   // respondent type (analysis.Internal …); analysis pools no elements across types
	Units     []string // unit codes in row order; empty draws every unit in the results' order
	Elements  []string // element codes in column order; empty takes the codes present, sorted
	RowHeight float64  // points per row, default 15
}

// heatRow is one row of the heatmap.
type heatRow struct {
	code, label string
	city        bool
	cells       []*float64
}

// Heatmap draws every unit's element scores of one respondent type, city row
// first, each cell coloured by its category band with the score printed;
// suppressed cells are grey, hatched and marked "—".
func Heatmap(res *analysis.Results, opt HeatmapOptions) (*Chart, error) {
	t := opt.Text
	if err := errors.Join(t.check("heatmap"), check("heatmap", "Type", t.Type, "Units", t.Units, "City", t.City)); err != nil {
		return nil, err
	}
	if !slices.Contains(analysis.Types(), opt.Type) {
		return nil, fmt.Errorf("charts: heatmap: unknown respondent type %q (element scores are per type)", opt.Type)
	}
	units, err := selectUnits(res, opt.Units)
	if err != nil {
		return nil, err
	}
	f := opt.Format
	city := res.City.Pooled.Components[opt.Type]
	comps := []*analysis.Component{city}
	for _, u := range units {
		comps = append(comps, u.Components[opt.Type])
	}
	cols := presentElements(elementOrder(opt.Elements, comps...), comps)
	if len(cols) == 0 {
		return nil, fmt.Errorf("charts: heatmap: no element scores of type %q", opt.Type)
	}
	var rows []heatRow
	if city != nil {
		rows = append(rows, heatRow{code: RowCity, label: withN(f, t.City, city), city: true, cells: cellsOf(city, cols)})
	}
	for _, u := range units {
		c := u.Components[opt.Type]
		rows = append(rows, heatRow{code: u.Code, label: withN(f, u.Name, c), cells: cellsOf(c, cols)})
	}
	st, err := opt.Cache.styles()
	if err != nil {
		return nil, err
	}
	bands := bandsOf(res.Settings)
	anyHidden := false
	for _, r := range rows {
		anyHidden = anyHidden || slices.Contains(r.cells, nil)
	}

	sub := join(t.periodLine(res.Period), t.Type)
	if city != nil && city.N != nil {
		sub = join(sub, nLabel(f, *city.N))
	}
	fr, err := newFrame(st, opt.Layout, t.Title, sub)
	if err != nil {
		return nil, err
	}
	fr.counted = t.Counted
	fr.legend = bandLegend(bands, t.Text, f, true, false)
	if anyHidden {
		note := t.suppressedNote(minGroup(res.Settings), f)
		fr.legend = append(fr.legend, legendItem{label: note, swatch: func(c draw.Canvas, r vg.Rectangle) { hatch(c, r) }})
	}
	pitch := vg.Length(15)
	if opt.RowHeight > 0 {
		pitch = vg.Length(opt.RowHeight)
	}
	names := make([]string, len(cols))
	for i, e := range cols {
		names[i] = elementName(t.Elements, e)
	}
	g := heatGeom{rows: rows, cols: cols, names: names, repeat: len(rows) > 40}
	g.head = g.headHeight(st, fr.inner())
	gap := vg.Length(0)
	if city != nil {
		gap = 4
	}
	heads := g.head
	if g.repeat {
		heads *= 2
	}
	fixed := heads + gap + 4
	ch, err := newChart(fr, opt.Layout, fixed+vg.Length(len(rows))*pitch, fixed+vg.Length(len(rows))*minPitch)
	if err != nil {
		return nil, err
	}
	if anyHidden {
		ch.notes = []string{t.suppressedNote(minGroup(res.Settings), f)}
	}
	for _, r := range rows {
		for j, v := range r.cells {
			m := Mark{Row: r.code, Series: cols[j], Value: v, Label: "—"}
			if v != nil {
				m.Label = f.score(*v)
			}
			ch.marks = append(ch.marks, m)
		}
	}
	ch.paint = func(c draw.Canvas) {
		fr.draw(c)
		g.draw(c, st, fr.body(ch.h), gap, bands, res.Settings, t, f)
	}
	return ch, nil
}

// presentElements keeps the columns some row has a figure for: a type that
// is never asked an element (external and pbj) gets no empty column.
func presentElements(cols []string, comps []*analysis.Component) []string {
	var out []string
	for _, e := range cols {
		for _, c := range comps {
			if c != nil && c.Elements[e] != nil {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// cellsOf returns the element scores of a component, nil where suppressed.
func cellsOf(c *analysis.Component, cols []string) []*float64 {
	out := make([]*float64, len(cols))
	if c == nil {
		return out
	}
	for i, e := range cols {
		if ef := c.Elements[e]; ef != nil && !ef.Suppressed {
			out[i] = ef.Score
		}
	}
	return out
}

// withN appends the component's n to a row label.
func withN(f Format, label string, c *analysis.Component) string {
	if c == nil || c.Suppressed || c.N == nil {
		return label
	}
	return label + " (" + nLabel(f, *c.N) + ")"
}

// elementName is an element's display name.
func elementName(names map[string]string, code string) string {
	if s, ok := names[code]; ok && s != "" {
		return s
	}
	return code
}

// heatGeom lays out the heatmap body.
type heatGeom struct {
	rows   []heatRow
	cols   []string
	names  []string
	head   vg.Length
	repeat bool // long tables repeat the column headers below
}

// labelWidth is the width of the row-label column.
func (g heatGeom) labelWidth(st *styles, inner vg.Length) vg.Length {
	sty := st.style(sizeLabel, true, colInk())
	var w vg.Length
	for _, r := range g.rows {
		w = max(w, sty.Width(r.label))
	}
	return min(w+8, inner*0.4)
}

// headHeight is the height of the wrapped column headers.
func (g heatGeom) headHeight(st *styles, inner vg.Length) vg.Length {
	sty := st.style(sizeLabel, true, colInk())
	cw := (inner - g.labelWidth(st, inner)) / vg.Length(len(g.cols))
	lines := 1
	for _, n := range g.names {
		lines = max(lines, len(wrap(sty, n, cw-4)))
	}
	return vg.Length(lines)*lineHeight(sty) + 4
}

// draw paints the header, the rows and their cells.
func (g heatGeom) draw(c draw.Canvas, st *styles, r vg.Rectangle, gap vg.Length, bands []band, s analysis.Settings, t HeatmapText, f Format) {
	head := st.style(sizeLabel, true, colInk())
	label := st.style(sizeLabel, false, colInk())
	lw := g.labelWidth(st, r.Max.X-r.Min.X)
	x0 := r.Min.X + lw
	cw := (r.Max.X - x0) / vg.Length(len(g.cols))
	bottom := r.Min.Y + 4
	if g.repeat {
		bottom += g.head
	}
	top := r.Max.Y - g.head
	pitch := (top - bottom - gap) / vg.Length(len(g.rows))
	size := min(vg.Length(sizeLabel), pitch*0.62)
	value := st.style(size, false, colInk())

	headers := func(yBase vg.Length, below bool) {
		for j, n := range g.names {
			lines := wrap(head, n, cw-4)
			lh := lineHeight(head)
			for k, l := range lines {
				y := yBase + 2 + vg.Length(len(lines)-1-k)*lh
				if below {
					y = yBase - 2 - vg.Length(k+1)*lh + 2
				}
				put(c, head, vg.Point{X: x0 + (vg.Length(j)+0.5)*cw, Y: y}, l, text.XCenter, text.YBottom)
			}
		}
	}
	headers(top, false)
	put(c, head, vg.Point{X: r.Min.X, Y: top + 2}, t.Units, text.XLeft, text.YBottom)

	y := top
	for i, row := range g.rows {
		if i == 1 && g.rows[0].city {
			y -= gap
		}
		sty := label
		if row.city {
			sty = head
		}
		put(c, sty, vg.Point{X: r.Min.X, Y: y - pitch/2}, truncate(sty, row.label, lw-8), text.XLeft, text.YCenter)
		for j, v := range row.cells {
			// Cells are inset rather than outlined in white: a stroke per
			// cell costs the raster canvas a full path rasterisation.
			cell := vg.Rectangle{Min: vg.Point{X: x0 + vg.Length(j)*cw + 0.5, Y: y - pitch + 0.5}, Max: vg.Point{X: x0 + vg.Length(j+1)*cw - 0.5, Y: y - 0.5}}
			mid := center(cell)
			if v == nil {
				hatch(c, cell)
				put(c, value, mid, "—", text.XCenter, text.YCenter)
			} else {
				fillRect(c, bands[bandIndex(bands, s, *v)].color, cell)
				put(c, value, mid, cellText(value, f, *v, cw-4), text.XCenter, text.YCenter)
			}
		}
		y -= pitch
	}
	if row0 := g.rows[0]; row0.city && len(g.rows) > 1 {
		c.StrokeLine2(draw.LineStyle{Color: colInk(), Width: 0.8}, r.Min.X, top-pitch-gap/2, r.Max.X, top-pitch-gap/2)
	}
	if g.repeat {
		headers(y-2, true)
	}
}

// cellText prints a score with two decimals, or one when the cell is narrow.
func cellText(sty text.Style, f Format, v float64, w vg.Length) string {
	if s := f.score(v); sty.Width(s) <= w {
		return s
	}
	return f.fixed(v, 1)
}
