package charts

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// margin is the white border around every chart, in points.
const margin = 12

// legendItem is a swatch with its label.
type legendItem struct {
	label  string
	swatch func(c draw.Canvas, r vg.Rectangle)
}

// frame lays out what every chart has around its body: the title, a
// subtitle (period, respondent type, n), the legend and the notes.
type frame struct {
	st     *styles
	w      vg.Length
	title  string
	sub    string
	legend []legendItem
	notes  []string
	// counted says which n the chart prints (Text.Counted), the last note.
	counted string
}

// minWidth is the narrowest chart whose columns still fit, in points.
const minWidth = 300

// newFrame starts a frame of the caller's width, 720 pt by default.
func newFrame(st *styles, l Layout, title, sub string) (*frame, error) {
	f := &frame{st: st, w: 720, title: title, sub: sub}
	if l.Width > 0 {
		f.w = vg.Length(l.Width)
	}
	if f.w < minWidth {
		return nil, fmt.Errorf("charts: width %v pt is under %d pt", f.w.Points(), minWidth)
	}
	return f, nil
}

func (f *frame) titleStyle() text.Style  { return f.st.style(sizeTitle, true, colInk()) }
func (f *frame) subStyle() text.Style    { return f.st.style(sizeSub, false, colMuted()) }
func (f *frame) legendStyle() text.Style { return f.st.style(sizeLegend, false, colInk()) }
func (f *frame) noteStyle() text.Style   { return f.st.style(sizeNote, false, colMuted()) }

func (f *frame) inner() vg.Length { return f.w - 2*margin }

// header returns the wrapped title and subtitle lines.
func (f *frame) header() (title, sub []string) {
	return wrap(f.titleStyle(), f.title, f.inner()), wrap(f.subStyle(), f.sub, f.inner())
}

// headerHeight is the height above the body.
func (f *frame) headerHeight() vg.Length {
	title, sub := f.header()
	return margin + vg.Length(len(title))*lineHeight(f.titleStyle()) + 2 +
		vg.Length(len(sub))*lineHeight(f.subStyle()) + 10
}

const (
	swatch    = 10 // legend swatch size
	swatchGap = 4  // between swatch and label
	itemGap   = 14 // between legend items
)

// legendRows places the legend items in rows that fit the width.
func (f *frame) legendRows() [][]legendItem {
	var rows [][]legendItem
	var x vg.Length
	sty := f.legendStyle()
	for _, it := range f.legend {
		w := swatch + swatchGap + sty.Width(it.label)
		if len(rows) == 0 || x > 0 && x+w > f.inner() {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], it)
		x += w + itemGap
	}
	return rows
}

// noteLines wraps the notes.
func (f *frame) noteLines() []string {
	var out []string
	for _, n := range f.notes {
		out = append(out, wrap(f.noteStyle(), n, f.inner())...)
	}
	if f.counted != "" {
		out = append(out, wrap(f.noteStyle(), f.counted, f.inner())...)
	}
	return out
}

// footerHeight is the height below the body.
func (f *frame) footerHeight() vg.Length {
	h := vg.Length(margin + 8)
	h += vg.Length(len(f.legendRows())) * (swatch + 5)
	h += vg.Length(len(f.noteLines())) * lineHeight(f.noteStyle())
	return h
}

// body returns the rectangle left for the chart body on a canvas of height h.
func (f *frame) body(h vg.Length) vg.Rectangle {
	return vg.Rectangle{
		Min: vg.Point{X: margin, Y: f.footerHeight()},
		Max: vg.Point{X: f.w - margin, Y: h - f.headerHeight()},
	}
}

// draw paints the header and footer on c.
func (f *frame) draw(c draw.Canvas) {
	top := c.Max.Y - margin
	title, sub := f.header()
	y := top
	for _, l := range title {
		y -= lineHeight(f.titleStyle())
		c.FillText(f.titleStyle(), vg.Point{X: margin, Y: y}, l)
	}
	y -= 2
	for _, l := range sub {
		y -= lineHeight(f.subStyle())
		c.FillText(f.subStyle(), vg.Point{X: margin, Y: y}, l)
	}

	y = f.footerHeight() - 8
	sty := f.legendStyle()
	for _, row := range f.legendRows() {
		y -= swatch + 5
		x := vg.Length(margin)
		for _, it := range row {
			r := vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + swatch, Y: y + swatch}}
			it.swatch(c, r)
			c.FillText(sty, vg.Point{X: x + swatch + swatchGap, Y: y + 1.5}, it.label)
			x += swatch + swatchGap + sty.Width(it.label) + itemGap
		}
	}
	for _, l := range f.noteLines() {
		y -= lineHeight(f.noteStyle())
		c.FillText(f.noteStyle(), vg.Point{X: margin, Y: y + 2}, l)
	}
}

// wrap breaks s into lines no wider than w, at spaces and at "\n".
func wrap(sty text.Style, s string, w vg.Length) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, word := range words {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && sty.Width(try) > w {
				out = append(out, line)
				line = word
				continue
			}
			line = try
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// truncate shortens s with "…" until it fits in w.
func truncate(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits lies in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if sty.Width(strings.TrimSpace(string(r[:mid]))+"…") <= w {
			lo = mid
		} else {
			hi = mid
		}
	}
	return strings.TrimSpace(string(r[:lo])) + "…"
}

// put draws one line of text aligned at pt.
func put(c draw.Canvas, sty text.Style, pt vg.Point, s string, xa text.XAlignment, ya text.YAlignment) {
	sty.XAlign, sty.YAlign = xa, ya
	c.FillText(sty, pt, s)
}
