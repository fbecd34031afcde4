package charts

import (
	"image/color"
	"math"
)

// Colours are functions rather than package variables so no caller can
// repaint another's charts.

// Okabe–Ito colours, safe for the common colour-vision deficiencies.
func colUnit() color.RGBA   { return rgb(0x00, 0x72, 0xB2) } // blue
func colCity() color.RGBA   { return rgb(0xD5, 0x5E, 0x00) } // vermillion
func colSky() color.RGBA    { return rgb(0x56, 0xB4, 0xE9) } // sky blue
func colInk() color.RGBA    { return rgb(0x1A, 0x1A, 0x1A) } // text and markers
func colMuted() color.RGBA  { return rgb(0x55, 0x55, 0x55) } // secondary text
func colGrid() color.RGBA   { return rgb(0xD0, 0xD0, 0xD0) } // gridlines
func colHidden() color.RGBA { return rgb(0xE8, 0xE8, 0xE8) } // suppressed cells
func colHatch() color.RGBA  { return rgb(0x9A, 0x9A, 0x9A) } // their hatching
func colTarget() color.RGBA { return rgb(0xDD, 0xDD, 0xDD) } // required sample

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xFF} }

// bandColors returns n light background colours for the category bands, from
// the riskiest (red) to the safest (blue), sampled from ColorBrewer's
// diverging RdYlBu ramp and tinted so black text stays readable on them.
func bandColors(n int) []color.RGBA {
	ramp := [...]color.RGBA{
		rgb(0xA5, 0x00, 0x26), rgb(0xD7, 0x30, 0x27), rgb(0xF4, 0x6D, 0x43), rgb(0xFD, 0xAE, 0x61),
		rgb(0xFE, 0xE0, 0x90), rgb(0xFF, 0xFF, 0xBF), rgb(0xE0, 0xF3, 0xF8), rgb(0xAB, 0xD9, 0xE9),
		rgb(0x74, 0xAD, 0xD1), rgb(0x45, 0x75, 0xB4), rgb(0x31, 0x36, 0x95),
	}
	out := make([]color.RGBA, n)
	for i := range n {
		// The ramp's dark ends are skipped: these colours sit behind text.
		t := 0.5
		if n > 1 {
			t = 0.2 + 0.6*float64(i)/float64(n-1)
		}
		pos := t * float64(len(ramp)-1)
		j := min(int(pos), len(ramp)-2)
		out[i] = tint(mix(ramp[j], ramp[j+1], pos-float64(j)), 0.45)
	}
	return out
}

// mix interpolates linearly from a (t=0) to b (t=1).
func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{R: f(a.R, b.R), G: f(a.G, b.G), B: f(a.B, b.B), A: 0xFF}
}

// tint mixes c with white by share w.
func tint(c color.RGBA, w float64) color.RGBA { return mix(c, rgb(0xFF, 0xFF, 0xFF), w) }

// zebra darkens a background slightly for alternate rows.
func zebra(c color.RGBA) color.RGBA { return mix(c, rgb(0, 0, 0), 0.05) }
