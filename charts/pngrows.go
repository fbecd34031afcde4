package charts

import (
	"encoding/binary"
	"image"
)

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
//
// Two pixels at a time, their bytes subtracted in one 64-bit word (SWAR):
// byte by byte, it was a fifth of the PNG encoder's CPU in
// BenchmarkPackets300 (BenchmarkUpRGB compares the two).
func upRGB(out, pix, above []byte) {
	n := min(len(out)/3, len(pix)/4)
	if above != nil {
		n = min(n, len(above)/4)
	}
	i, j := 0, 0
	// Each step stores 8 bytes for 6, so it stops while 2 more fit.
	for ; i+8 <= len(out) && j+8 <= 4*n; i, j = i+6, j+8 {
		d := binary.LittleEndian.Uint64(pix[j:])
		if above != nil {
			d = subBytes(d, binary.LittleEndian.Uint64(above[j:]))
		}
		binary.LittleEndian.PutUint64(out[i:], d&0xFFFFFF|d>>8&0xFFFFFF000000)
	}
	for ; j < 4*n; i, j = i+3, j+4 {
		if above == nil {
			out[i], out[i+1], out[i+2] = pix[j], pix[j+1], pix[j+2]
		} else {
			out[i], out[i+1], out[i+2] = pix[j]-above[j], pix[j+1]-above[j+1], pix[j+2]-above[j+2]
		}
	}
}

// subBytes subtracts each byte of b from that of a, modulo 256, with no
// borrow between bytes.
func subBytes(a, b uint64) uint64 {
	const h = 0x8080808080808080
	return ((a | h) - (b &^ h)) ^ ((a ^ ^b) & h)
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
