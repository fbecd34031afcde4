package charts

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"git.sr.ht/~sbinet/gg"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// raster wraps a vgimg canvas with fast paths for what the charts draw most:
// axis-aligned rectangles are copied straight into the image and unrotated
// text is drawn from a glyph cache. gg rasterises every rectangle by
// coverage and every glyph afresh through an affine resampler, which made a
// 300-unit ranking take most of a second.
type raster struct {
	*vgimg.Canvas
	img    *image.RGBA
	scale  float64 // pixels per point
	height float64 // image height in pixels
	hDots  float64 // canvas height in dots, unrounded: vgimg's text baseline
	stack  []rasterState
	faces  map[font.Font]xfont.Face
	glyphs map[glyphKey]*glyph
	shared *glyphCache // nil: only this render's glyphs
	// sfntBuf and offBuf are reused by offsets.
	sfntBuf sfnt.Buffer
	offBuf  []vg.Length
}

// rasterState is what Push saves.
type rasterState struct {
	color       color.Color
	width       vg.Length
	dashed      bool
	transformed bool // rotated, translated or scaled: leave it to gg
}

// glyphKey names a rendered glyph at a 1/64-pixel pen offset.
type glyphKey struct {
	font   font.Font
	r      rune
	fx, fy int
}

// glyph is a cached glyph mask placed relative to the pen's pixel; nil
// for a space or a rune the font lacks.
type glyph struct {
	bounds image.Rectangle
	mask   *image.Alpha
}

// newRaster returns a white raster canvas of w×h points at dpi.
func newRaster(w, h vg.Length, dpi int) *raster {
	scale := float64(dpi) / float64(vg.Inch)
	img := newRGBA(int(float64(w)*scale+0.5), int(float64(h)*scale+0.5))
	// gg.NewContextForImage (vgimg's default) copies the whole image once;
	// wrapping our own RGBA avoids that copy.
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	cv := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
	return &raster{
		Canvas: cv, img: img,
		scale:  scale,
		height: float64(img.Bounds().Dy()),
		hDots:  h.Dots(float64(dpi)),
		stack:  []rasterState{{color: color.Black}},
		faces:  map[font.Font]xfont.Face{},
		glyphs: map[glyphKey]*glyph{},
	}
}

func (r *raster) top() *rasterState { return &r.stack[len(r.stack)-1] }

// SetColor records the colour for the fast paths.
func (r *raster) SetColor(c color.Color) {
	r.top().color = c
	r.Canvas.SetColor(c)
}

// SetLineWidth records the width for the fast path.
func (r *raster) SetLineWidth(w vg.Length) {
	r.top().width = w
	r.Canvas.SetLineWidth(w)
}

// SetLineDash records whether lines are dashed.
func (r *raster) SetLineDash(d []vg.Length, off vg.Length) {
	r.top().dashed = len(d) > 0
	r.Canvas.SetLineDash(d, off)
}

// Push saves the state.
func (r *raster) Push() {
	r.stack = append(r.stack, *r.top())
	r.Canvas.Push()
}

// Pop restores the state.
func (r *raster) Pop() {
	if len(r.stack) > 1 {
		r.stack = r.stack[:len(r.stack)-1]
	}
	r.Canvas.Pop()
}

// Rotate rotates the coordinates.
func (r *raster) Rotate(a float64) {
	r.top().transformed = true
	r.Canvas.Rotate(a)
}

// Translate moves the origin.
func (r *raster) Translate(pt vg.Point) {
	r.top().transformed = true
	r.Canvas.Translate(pt)
}

// Scale scales the coordinates.
func (r *raster) Scale(x, y float64) {
	r.top().transformed = true
	r.Canvas.Scale(x, y)
}

// px converts a point to image pixel coordinates (y down).
func (r *raster) px(p vg.Point) (float64, float64) {
	return float64(p.X) * r.scale, r.height - float64(p.Y)*r.scale
}

// Fill copies axis-aligned rectangles into the image, snapped to whole
// pixels; any other path goes to gg.
func (r *raster) Fill(p vg.Path) {
	rect, ok := axisRect(p)
	if !ok || r.top().transformed {
		r.Canvas.Fill(p)
		return
	}
	x0, y1 := r.px(rect.Min)
	x1, y0 := r.px(rect.Max)
	r.fill(image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1))))
}

// Stroke draws solid horizontal and vertical segments (gridlines, ticks,
// whiskers) as pixel-snapped rectangles; gg clears a buffer as tall as the
// image for every stroke, which dominated charts of 300 rows.
func (r *raster) Stroke(p vg.Path) {
	st := r.top()
	if st.transformed || st.dashed || st.width <= 0 || len(p) != 2 || p[0].Type != vg.MoveComp || p[1].Type != vg.LineComp ||
		p[0].Pos.X != p[1].Pos.X && p[0].Pos.Y != p[1].Pos.Y {
		r.Canvas.Stroke(p)
		return
	}
	x0, y0 := r.px(p[0].Pos)
	x1, y1 := r.px(p[1].Pos)
	w := math.Max(1, math.Round(float64(st.width)*r.scale)) // hairlines stay one pixel
	var pr image.Rectangle
	if y0 == y1 {
		top := int(math.Round(y0 - w/2))
		pr = image.Rect(int(math.Round(math.Min(x0, x1))), top, int(math.Round(math.Max(x0, x1))), top+int(w))
	} else {
		left := int(math.Round(x0 - w/2))
		pr = image.Rect(left, int(math.Round(math.Min(y0, y1))), left+int(w), int(math.Round(math.Max(y0, y1))))
	}
	r.fill(pr)
}

// fill fills pixels with the current colour.
func (r *raster) fill(pr image.Rectangle) {
	col := r.top().color
	op := draw.Over
	if _, _, _, a := col.RGBA(); a == 0xFFFF {
		op = draw.Src
	}
	draw.Draw(r.img, pr, image.NewUniform(col), image.Point{}, op)
}

// axisRect recognises the closed four-corner rectangles fillRect draws.
func axisRect(p vg.Path) (vg.Rectangle, bool) {
	if len(p) != 5 || p[0].Type != vg.MoveComp || p[4].Type != vg.CloseComp {
		return vg.Rectangle{}, false
	}
	pts := []vg.Point{p[0].Pos, p[1].Pos, p[2].Pos, p[3].Pos}
	for i := range 4 {
		a, b := pts[i], pts[(i+1)%4]
		if p[i+1].Type != vg.LineComp && i < 3 || a.X != b.X && a.Y != b.Y {
			return vg.Rectangle{}, false
		}
	}
	r := vg.Rectangle{Min: pts[0], Max: pts[0]}
	for _, q := range pts[1:] {
		r.Min.X, r.Min.Y = min(r.Min.X, q.X), min(r.Min.Y, q.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, q.X), max(r.Max.Y, q.Y)
	}
	return r, true
}

// FillString draws text glyph by glyph at the pen positions gonum/plot's
// own metrics give (font units scaled to the size, kerning included): the
// widths every label was aligned with, and the positions the SVG shows.
// x/image's opentype.Face.Kern, which vgimg's text path uses, returns
// kerning in font units read as 1/64 pixel, so at chart sizes it pulls
// "Te" and " A" together two to three times too far ("Keuangan danAset");
// placing each glyph ourselves avoids it. Unrotated glyphs are drawn from
// a cache keyed by the pen's 1/64-pixel offsets, so each is the very mask
// vgimg would draw there; rotated ones go to vgimg one glyph at a time.
func (r *raster) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Size == 0 {
		return
	}
	off := r.offsets(f, s)
	if r.top().transformed {
		i := 0
		for _, c := range s {
			r.Canvas.FillString(f, vg.Point{X: pt.X + off[i], Y: pt.Y}, string(c))
			i++
		}
		return
	}
	face, ok := r.faces[f.Font]
	if !ok {
		face = f.FontFace(r.scale * float64(vg.Inch))
		r.faces[f.Font] = face
	}
	src := image.NewUniform(r.top().color)
	i := 0
	for _, c := range s {
		// vgimg places text from the unrounded canvas height, shapes from
		// the image's: keep its text baseline exactly.
		x, y := (pt.X + off[i]).Dots(r.DPI()), r.hDots-pt.Y.Dots(r.DPI())
		i++
		dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
		g := r.glyph(face, f.Font, c, int(dot.X&63), int(dot.Y&63))
		if g.mask == nil {
			continue
		}
		origin := image.Point{X: dot.X.Floor(), Y: dot.Y.Floor()}
		draw.DrawMask(r.img, g.bounds.Add(origin), src, image.Point{}, g.mask, g.mask.Rect.Min, draw.Over)
	}
}

// glyph renders a rune once per font and 1/64-pixel pen offset, the mask
// opentype draws at a pen position with those fractions.
func (r *raster) glyph(face xfont.Face, f font.Font, c rune, fx, fy int) *glyph {
	k := glyphKey{font: f, r: c, fx: fx, fy: fy}
	if g := r.shared.get(r.DPI(), k); g != nil {
		return g
	}
	if g, ok := r.glyphs[k]; ok {
		return g
	}
	dr, mask, mp, _, ok := face.Glyph(fixed.Point26_6{X: fixed.Int26_6(fx), Y: fixed.Int26_6(fy)}, c)
	g := &glyph{}
	if ok && !dr.Empty() { // a space has an advance but no mask
		// The face reuses its mask buffer: keep a copy.
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(a, a.Rect, mask, mp, draw.Src)
		g.bounds, g.mask = dr, a
	}
	if !r.shared.put(r.DPI(), k, g) {
		r.glyphs[k] = g
	}
	return g
}

// hatch paints a suppressed cell pixel by pixel: grey with one-pixel
// diagonals every 4 points, as the vector hatch draws them.
func (r *raster) hatch(rect vg.Rectangle) bool {
	if r.top().transformed {
		return false
	}
	x0, y1 := r.px(rect.Min)
	x1, y0 := r.px(rect.Max)
	pr := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1))).Intersect(r.img.Rect)
	gap := max(3, int(math.Round(4*r.scale)))
	bg, line := colHidden(), colHatch()
	for y := pr.Min.Y; y < pr.Max.Y; y++ {
		row := r.img.Pix[r.img.PixOffset(pr.Min.X, y):]
		for x := pr.Min.X; x < pr.Max.X; x++ {
			c := bg
			// Rising diagonals in chart space fall in image space (y down).
			if ((x+y)%gap+gap)%gap == 0 {
				c = line
			}
			i := 4 * (x - pr.Min.X)
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 0xFF
		}
	}
	return true
}
