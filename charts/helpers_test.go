package charts

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// svgDoc is what the tests read back from an SVG.
type svgDoc struct {
	width, height float64 // points, from the root's attributes
	texts         []string
	paths         []svgPath
	order         []any // texts (string) and paths (svgPath) in document order
}

// svgPath is a path with its fill and the vertices of its outline.
type svgPath struct {
	fill   string // "#0072B2", or "" when not filled
	stroke string
	width  string // stroke width as written; "" is vgsvg's default of 1
	pts    [][2]float64
}

// bbox returns the path's bounding box.
func (p svgPath) bbox() (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range p.pts {
		x0, y0 = math.Min(x0, q[0]), math.Min(y0, q[1])
		x1, y1 = math.Max(x1, q[0]), math.Max(y1, q[1])
	}
	return
}

// parseSVG decodes the document with encoding/xml, failing on malformed XML.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	var inText bool
	var cur strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch el.Name.Local {
			case "svg":
				doc.width = parsePt(t, attr["width"])
				doc.height = parsePt(t, attr["height"])
			case "text":
				inText = true
				cur.Reset()
			case "path":
				p := parsePath(t, attr["d"], attr["style"])
				doc.paths = append(doc.paths, p)
				doc.order = append(doc.order, p)
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				doc.texts = append(doc.texts, cur.String())
				doc.order = append(doc.order, cur.String())
				inText = false
			}
		}
	}
	if doc.width == 0 || doc.height == 0 {
		t.Fatal("svg has no size")
	}
	return doc
}

func parsePt(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "pt"), 64)
	if err != nil {
		t.Fatalf("svg size %q: %v", s, err)
	}
	return v
}

// parsePath reads the M/L/Z outlines vgsvg writes; the charts draw no arcs.
func parsePath(t *testing.T, d, style string) svgPath {
	t.Helper()
	var p svgPath
	for _, kv := range strings.Split(style, ";") {
		k, v, _ := strings.Cut(kv, ":")
		switch k {
		case "fill":
			if v != "none" {
				p.fill = strings.ToUpper(v)
			}
		case "stroke":
			p.stroke = strings.ToUpper(v)
		case "stroke-width":
			p.width = v
		}
	}
	if !strings.Contains(style, "fill:") && !strings.Contains(style, "stroke") {
		p.fill = "#000000" // vgsvg omits its default fill
	}
	for _, seg := range strings.FieldsFunc(d, func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' }) {
		xs, ys, ok := strings.Cut(seg, ",")
		if !ok {
			t.Fatalf("path segment %q in %q", seg, d)
		}
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("path segment %q in %q", seg, d)
		}
		p.pts = append(p.pts, [2]float64{x, y})
	}
	return p
}

// has reports whether some text element equals s exactly.
func (d svgDoc) has(s string) bool {
	for _, x := range d.texts {
		if x == s {
			return true
		}
	}
	return false
}

// hasPrefix reports whether some text element starts with s.
func (d svgDoc) hasPrefix(s string) bool {
	for _, x := range d.texts {
		if strings.HasPrefix(x, s) {
			return true
		}
	}
	return false
}

// joined is all text in document order, one space apart: wrapped lines
// read back as their whole label.
func (d svgDoc) joined() string { return strings.Join(d.texts, " ") }

// count counts the text elements equal to s.
func (d svgDoc) count(s string) int {
	n := 0
	for _, x := range d.texts {
		if x == s {
			n++
		}
	}
	return n
}

// filled returns the paths filled with colour c, in document order.
func (d svgDoc) filled(c color.RGBA) []svgPath {
	want := hex(c)
	var out []svgPath
	for _, p := range d.paths {
		if p.fill == want {
			out = append(out, p)
		}
	}
	return out
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

// render returns the chart's PNG decoded and its SVG parsed, checking
// both against the chart's stated size.
func render(t *testing.T, ch *Chart) (image.Image, svgDoc) {
	t.Helper()
	var pb, sb bytes.Buffer
	if err := ch.PNG(&pb); err != nil {
		t.Fatalf("png: %v", err)
	}
	img, err := png.Decode(&pb)
	if err != nil {
		t.Fatalf("png does not decode: %v", err)
	}
	w, h := ch.Pixels()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("png is %v, chart says %d×%d", b.Size(), w, h)
	}
	if inked(img) < 0.01 {
		t.Fatalf("png is blank")
	}
	if err := ch.SVG(&sb); err != nil {
		t.Fatalf("svg: %v", err)
	}
	doc := parseSVG(t, sb.Bytes())
	cw, chh := ch.Size()
	if math.Abs(doc.width-cw) > 0.01 || math.Abs(doc.height-chh) > 0.01 {
		t.Fatalf("svg is %v×%v pt, chart says %v×%v", doc.width, doc.height, cw, chh)
	}
	return img, doc
}

// inked is the share of pixels that are not white.
func inked(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xF000 || g < 0xF000 || bl < 0xF000 {
				n++
			}
		}
	}
	return float64(n) / float64((b.Dx()/2)*(b.Dy()/2))
}

// near compares floats to a tolerance.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// linear checks that ys = a + b·xs for all points, fitted on the first and
// last: how drawn positions must follow the data.
func linear(t *testing.T, what string, xs, ys []float64, tol float64) {
	t.Helper()
	if len(xs) != len(ys) || len(xs) < 2 {
		t.Fatalf("%s: %d values, %d positions", what, len(xs), len(ys))
	}
	i, j := 0, len(xs)-1
	for k := range xs { // pick the widest-spread pair
		if xs[k] < xs[i] {
			i = k
		}
		if xs[k] > xs[j] {
			j = k
		}
	}
	if xs[i] == xs[j] {
		t.Fatalf("%s: all values equal", what)
	}
	b := (ys[j] - ys[i]) / (xs[j] - xs[i])
	a := ys[i] - b*xs[i]
	if b == 0 {
		t.Fatalf("%s: positions do not move with the values", what)
	}
	for k := range xs {
		if want := a + b*xs[k]; !near(ys[k], want, tol) {
			t.Errorf("%s: value %v drawn at %.3f, want %.3f", what, xs[k], ys[k], want)
		}
	}
}

// axis is a drawn axis read back from the SVG: each tick mark's position
// paired with the number printed beside it.
type axis struct{ values, pos []float64 }

// readAxis pairs every 3-pt ink tick mark (vertical ticks for an x axis,
// horizontal for a y axis) with the number the chart drew right after it.
func readAxis(t *testing.T, doc svgDoc, f Format, vertical bool) axis {
	t.Helper()
	var a axis
	for i, el := range doc.order {
		p, ok := el.(svgPath)
		if !ok || p.stroke != hex(colInk()) || len(p.pts) != 2 || i+1 >= len(doc.order) {
			continue
		}
		dx, dy := p.pts[1][0]-p.pts[0][0], p.pts[1][1]-p.pts[0][1]
		pos := p.pts[0][0]
		if vertical {
			dx, dy, pos = dy, dx, p.pts[0][1]
		}
		if dx != 0 || !near(math.Abs(dy), 3, 1e-6) {
			continue
		}
		label, ok := doc.order[i+1].(string)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(label, string(f.Group), ""), string(orDot(f.Decimal)), "."), 64)
		if err != nil {
			continue
		}
		a.values, a.pos = append(a.values, v), append(a.pos, pos)
	}
	if len(a.values) < 2 {
		t.Fatalf("found %d labelled ticks", len(a.values))
	}
	linear(t, "ticks", a.values, a.pos, 0.01)
	return a
}

func orDot(r rune) rune {
	if r == 0 {
		return '.'
	}
	return r
}

// at maps a value to its position on the drawn axis.
func (a axis) at(v float64) float64 {
	b := (a.pos[len(a.pos)-1] - a.pos[0]) / (a.values[len(a.values)-1] - a.values[0])
	return a.pos[0] + b*(v-a.values[0])
}

// check asserts each value is drawn where the axis says.
func (a axis) check(t *testing.T, what string, values, pos []float64) {
	t.Helper()
	if len(values) != len(pos) {
		t.Fatalf("%s: %d values, %d drawn", what, len(values), len(pos))
	}
	for i, v := range values {
		if want := a.at(v); !near(pos[i], want, 0.02) {
			t.Errorf("%s: %v drawn at %.3f, the axis puts it at %.3f", what, v, pos[i], want)
		}
	}
}

// whiskers returns the last n whisker lines (1-pt ink strokes of two points
// along one direction, longer than their caps) in document order.
func whiskers(t *testing.T, doc svgDoc, n int, vertical bool) (lo, hi []float64) {
	t.Helper()
	var found []svgPath
	for _, p := range doc.paths {
		if p.stroke != hex(colInk()) || p.width != "" || len(p.pts) != 2 {
			continue
		}
		along, across := 0, 1
		if vertical {
			along, across = 1, 0
		}
		if p.pts[0][across] == p.pts[1][across] && math.Abs(p.pts[1][along]-p.pts[0][along]) > 6 {
			found = append(found, p)
		}
	}
	if len(found) < n {
		t.Fatalf("found %d whiskers, want %d", len(found), n)
	}
	i := 0
	if vertical {
		i = 1
	}
	for _, p := range found[len(found)-n:] {
		lo = append(lo, math.Min(p.pts[0][i], p.pts[1][i]))
		hi = append(hi, math.Max(p.pts[0][i], p.pts[1][i]))
	}
	return lo, hi
}
