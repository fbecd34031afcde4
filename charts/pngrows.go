package charts

import "image"

// indexRow maps one row of pixels to palette indices, looking each run up once.
func indexRow(img *image.RGBA, y int, out []byte, lookup *colourTable) {
	pix := img.Pix[y*img.Stride : y*img.Stride+4*len(out)]
	last := noColour
	var li byte
	for x := range out {
		if c := rgbAt(pix, 4*x); c != last {
			last, li = c, byte(lookup.get(c))
		}
		out[x] = li
	}
}

// upRGB writes a row of pixels as RGB bytes with the "up" filter: each
// byte minus the one above it; above is nil on the image's first row.
func upRGB(out, pix, above []byte) {
	if above == nil {
		for i, j := 0, 0; i+2 < len(out) && j+2 < len(pix); i, j = i+3, j+4 {
			out[i], out[i+1], out[i+2] = pix[j], pix[j+1], pix[j+2]
		}
		return
	}
	for i, j := 0, 0; i+2 < len(out) && j+2 < len(pix) && j+2 < len(above); i, j = i+3, j+4 {
		out[i], out[i+1], out[i+2] = pix[j]-above[j], pix[j+1]-above[j+1], pix[j+2]-above[j+2]
	}
}

// adler32Combine returns the Adler-32 of a‖b from the sums of a and of b,
// where b is n bytes long (zlib's adler32_combine).
func adler32Combine(a, b uint32, n int) uint32 {
	const mod = 65521
	rem := uint32(n % mod)
	s1a, s2a := a&0xFFFF, a>>16
	s1b, s2b := b&0xFFFF, b>>16
	s1 := (s1a + s1b + mod - 1) % mod
	s2 := (s2a + s2b + (rem*s1a)%mod + mod - rem) % mod
	return s2<<16 | s1
}
