package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Layout overrides a chart's size and output; zero fields keep the defaults.
type Layout struct {
	Width, Height float64 // points (1/72 inch); row charts grow their default height with the rows
	DPI           int     // PNG pixels per inch, default 96
	// EmbedFonts puts the two TTFs (≈1.1 MB) inside SVG output, for files
	// that must look identical anywhere; otherwise the SVG names Liberation
	// Sans, then its metric twin Arial, and every text carries its laid-out
	// width, so any substitute font is squeezed to fit.
	EmbedFonts bool
}

// Common holds the options every chart takes.
type Common struct {
	Format Format
	Layout Layout
	// Cache, when set, is shared with the other charts of a batch (the
	// packets of a period); nil gives the chart caches of its own.
	Cache *Cache
}

// Mark is one datum as drawn, in drawing order: what tests compare with the
// analysis results, and what a page can offer as the chart's text alternative.
type Mark struct {
	Row    string   // unit code, period label, element code or histogram bin
	Series string   // element code, or SeriesUnit, SeriesCity, SeriesReceived …
	Value  *float64 // nil when the figure is suppressed and drawn as absent
	Low    *float64 // 95 % CI ends, when a whisker is drawn
	High   *float64
	Label  string // the number as printed, or "—"
}

// Series names used in Mark.Series.
const (
	SeriesUnit     = "unit"
	SeriesCity     = "city"
	SeriesIndex    = "index"
	SeriesReceived = "received"
	SeriesRequired = "required"
	SeriesCount    = "count"
	// RowCity is the Mark.Row of the heatmap's city row.
	RowCity = "_city"
)

// Chart is a chart ready to render; it is immutable, so PNG and SVG may be
// called any number of times and concurrently.
type Chart struct {
	w, h  vg.Length
	dpi   int
	embed bool
	st    *styles
	paint func(c draw.Canvas)
	marks []Mark
	notes []string
}

// Size returns the chart's size in points.
func (c *Chart) Size() (width, height float64) { return c.w.Points(), c.h.Points() }

// Pixels returns the size of the PNG in pixels.
func (c *Chart) Pixels() (width, height int) {
	d := vg.Length(c.dpi) / vg.Inch
	return int(c.w*d + 0.5), int(c.h*d + 0.5)
}

// Marks returns the data marks as drawn.
func (c *Chart) Marks() []Mark { return append([]Mark(nil), c.marks...) }

// Notes returns the footnotes printed under the chart.
func (c *Chart) Notes() []string { return append([]string(nil), c.notes...) }

// PNG writes the chart as a PNG image.
func (c *Chart) PNG(w io.Writer) (err error) {
	defer recoverRender(&err)
	cv := newRaster(c.w, c.h, c.dpi)
	cv.shared = c.st.glyphs
	defer releaseRGBA(cv.img)
	c.paint(draw.New(cv))
	if err := encodePNG(w, cv.img); err != nil {
		return fmt.Errorf("charts: encode png: %w", err)
	}
	return nil
}

// SVG writes the chart as an SVG document.
func (c *Chart) SVG(w io.Writer) (err error) {
	defer recoverRender(&err)
	cv := vgsvg.NewWith(vgsvg.UseWH(c.w, c.h), vgsvg.EmbedFonts(c.embed))
	dc := draw.New(cv)
	fillRect(dc, color.White, dc.Rectangle) // the raster canvas starts white, SVG transparent
	c.paint(dc)
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return fmt.Errorf("charts: write svg: %w", err)
	}
	out := fitText(buf.Bytes(), c.st)
	if !c.embed {
		// Liberation Sans shares Arial's metrics, so text measured with it
		// fits where a browser substitutes Arial.
		out = bytes.ReplaceAll(out, []byte("font-family:Liberation Sans;"),
			[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("charts: write svg: %w", err)
	}
	return nil
}

// recoverRender turns a panic of the gonum canvases (their way of reporting
// font and path errors) into an error.
func recoverRender(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("charts: render: %v", r)
	}
}

// maxPixels bounds a PNG: 60 M pixels are 240 MB of RGBA while drawing.
const maxPixels = 60e6

// newChart sizes a chart: the frame's width, and unless the caller fixed
// the height, the frame's header and footer around a body of the given
// height. It refuses a size that leaves the body under minBody points (rows
// would overlap) or a raster beyond maxPixels.
func newChart(fr *frame, l Layout, body, minBody vg.Length) (*Chart, error) {
	c := &Chart{w: fr.w, h: fr.headerHeight() + body + fr.footerHeight(), dpi: 96, embed: l.EmbedFonts, st: fr.st, notes: fr.notes}
	if l.Height > 0 {
		c.h = vg.Length(l.Height)
	}
	if l.DPI > 0 {
		c.dpi = l.DPI
	}
	if room := c.h - fr.headerHeight() - fr.footerHeight(); room < minBody {
		return nil, fmt.Errorf("charts: %.0f × %.0f pt leaves %.0f pt for the chart, under the %.0f pt it needs", c.w.Points(), c.h.Points(), room.Points(), minBody.Points())
	}
	if w, h := c.Pixels(); float64(w)*float64(h) > maxPixels {
		return nil, fmt.Errorf("charts: %d × %d pixels exceed the %.0f M pixel limit", w, h, maxPixels/1e6)
	}
	return c, nil
}
