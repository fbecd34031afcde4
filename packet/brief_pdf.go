package packet

import "codeberg.org/go-pdf/fpdf"

// bandRGB is each category's colour on the scale, the dashboard's.
var bandRGB = map[string][3]int{
	"sangat_rentan": {103, 0, 31},
	"rentan":        {178, 24, 43},
	"waspada":       {224, 130, 20},
	"terjaga":       {26, 127, 55},
}

// tint mixes a colour with white: 0 keeps it, 1 is white.
func tint(c [3]int, k float64) (int, int, int) {
	m := func(v int) int { return v + int(float64(255-v)*k) }
	return m(c[0]), m(c[1]), m(c[2])
}

// briefPage draws the one-page summary after the letter.
func (d *pdfDoc) briefPage() {
	b := d.r.brief
	d.AddPage()
	d.font(true, 15)
	d.para(b.title, 7)
	d.font(false, 11)
	d.para(d.r.unit.Name+" · "+d.r.period, 5.5)
	d.Ln(4)
	d.font(true, 12)
	d.para(b.lead, 6)
	d.Ln(8)
	d.bandScale(b)
	d.Ln(4)
	for _, s := range b.sections {
		d.font(true, 11)
		d.para(s.head, 5.6)
		d.font(false, 10.5)
		for _, l := range s.lines {
			d.bullet(l)
		}
		d.Ln(2.5)
	}
}

// bandScale draws the index scale: the bands as coloured segments named
// inside, their edges below, the unit's CI as a bar and its index as a
// marker with the number above.
func (d *pdfDoc) bandScale(b brief) {
	const h = 10.0
	x0, y := marginX, d.GetY()+6
	at := func(v float64) float64 { return x0 + (v-b.from)/(100-b.from)*contentW }
	d.font(false, 9)
	for _, bd := range b.bands {
		lo, hi := max(bd.from, b.from), min(bd.to, 100)
		if hi <= lo {
			continue
		}
		r, g, bl := tint(bandRGB[bd.slug], 0.55)
		d.SetFillColor(r, g, bl)
		d.Rect(at(lo), y, at(hi)-at(lo), h, "F")
		if w := d.GetStringWidth(bd.label); w < at(hi)-at(lo)-2 {
			d.SetXY(at(lo), y+0.6) // the top half: the CI runs in the bottom half
			d.CellFormat(at(hi)-at(lo), 4.4, bd.label, "", 0, "C", false, 0, "")
		}
	}
	d.font(false, 8)
	d.SetTextColor(70, 70, 70)
	edges := []float64{b.from, 100}
	for _, bd := range b.bands {
		if bd.from > b.from {
			edges = append(edges, bd.from)
		}
	}
	for _, e := range edges {
		d.SetDrawColor(90, 90, 90)
		d.Line(at(e), y+h, at(e), y+h+1.5)
		d.SetXY(at(e)-10, y+h+1.5)
		d.CellFormat(20, 4, d.r.t.Num(e, 0), "", 0, "C", false, 0, "")
	}
	d.SetTextColor(0, 0, 0)
	if b.index != nil {
		d.SetDrawColor(0, 0, 0)
		if b.ci != nil {
			d.SetLineWidth(0.8)
			ym := y + h*0.72
			d.Line(at(b.ci[0]), ym, at(b.ci[1]), ym)
			d.Line(at(b.ci[0]), ym-1.5, at(b.ci[0]), ym+1.5)
			d.Line(at(b.ci[1]), ym-1.5, at(b.ci[1]), ym+1.5)
		}
		x := at(*b.index)
		d.SetFillColor(0, 0, 0)
		d.Polygon([]fpdf.PointType{{X: x - 2, Y: y - 3}, {X: x + 2, Y: y - 3}, {X: x, Y: y + 0.5}}, "F")
		d.SetLineWidth(0.5)
		d.Line(x, y, x, y+h) // the index across the bar
		d.SetLineWidth(0.2)
		d.font(true, 10)
		d.SetXY(x-15, y-8)
		d.CellFormat(30, 4.5, b.label, "", 0, "C", false, 0, "")
	}
	d.SetY(y + h + 8)
}

// bullet writes one line of a list, wrapped under its own indent.
func (d *pdfDoc) bullet(s string) {
	const indent = 5.0
	lines := d.SplitText(s, contentW-indent)
	d.room(float64(len(lines)) * 5.2)
	for i, l := range lines {
		d.SetX(marginX)
		mark := ""
		if i == 0 {
			mark = "•"
		}
		d.CellFormat(indent, 5.2, mark, "", 0, "L", false, 0, "")
		d.CellFormat(contentW-indent, 5.2, l, "", 1, "L", false, 0, "")
	}
}
