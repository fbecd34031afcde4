package charts

import (
	"bytes"
	"html"
	"strconv"

	"gonum.org/v1/plot/vg"
)

// fitText gives every <text> of vgsvg's output the width it was laid out
// with (textLength, squeezing glyphs and spacing alike), so a viewer that
// substitutes a wider font for Liberation Sans still keeps each label inside
// its column instead of running into the next.
func fitText(svg []byte, st *styles) []byte {
	var out bytes.Buffer
	out.Grow(len(svg) + len(svg)/8)
	for {
		i := bytes.Index(svg, []byte("<text "))
		if i < 0 {
			out.Write(svg)
			return out.Bytes()
		}
		end := bytes.IndexByte(svg[i:], '>')
		stop := bytes.Index(svg[i:], []byte("</text>"))
		if end < 0 || stop < end {
			out.Write(svg)
			return out.Bytes()
		}
		tag, content := svg[i:i+end], svg[i+end+1:i+stop]
		out.Write(svg[:i])
		out.Write(tag)
		if w, ok := textWidth(st, tag, content); ok {
			out.WriteString(` textLength="`)
			out.WriteString(strconv.FormatFloat(w, 'f', 2, 64))
			out.WriteString(`" lengthAdjust="spacingAndGlyphs"`)
		}
		out.Write(svg[i+end : i+stop])
		svg = svg[i+stop:]
	}
}

// textWidth measures a text element's content in the font its style names.
func textWidth(st *styles, tag, content []byte) (float64, bool) {
	size, ok := styleValue(tag, "font-size:")
	if !ok {
		return 0, false
	}
	px, err := strconv.ParseFloat(string(bytes.TrimSuffix(size, []byte("px"))), 64)
	if err != nil || px <= 0 {
		return 0, false
	}
	weight, _ := styleValue(tag, "font-weight:")
	sty := st.style(vg.Length(px), string(weight) == "bold", colInk())
	return sty.Width(html.UnescapeString(string(content))).Points(), true
}

// styleValue returns the value of a CSS property inside a tag's style.
func styleValue(tag []byte, prop string) ([]byte, bool) {
	i := bytes.Index(tag, []byte(prop))
	if i < 0 {
		return nil, false
	}
	v := tag[i+len(prop):]
	if j := bytes.IndexAny(v, ";\""); j >= 0 {
		v = v[:j]
	}
	return v, true
}
