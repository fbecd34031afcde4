package charts

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"io"
	"runtime"
	"slices"
	"sync"

	"integritas/internal/fastflate"
)

// encodePNG writes an opaque RGBA chart losslessly: as an 8-bit indexed
// PNG when it has at most 256 colours, else as 8-bit RGB.
//
// A palette of the most frequent colours once stood in for every chart, but
// it moved anti-aliased glyph edges by up to 60 levels, so the PNG's text
// was no longer the text drawn; now every pixel is kept. image/png tries
// five filters per row, which costs 3–4 times this encoder (the benchmarks
// BenchmarkPNGEncoder* compare them in one run). Rows are cut into bands
// deflated in parallel and joined into one zlib stream, as pigz does.
func encodePNG(w io.Writer, img *image.RGBA) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	bands := splitRows(height, runtime.GOMAXPROCS(0))
	pal, lookup := palette(img, bands)
	bpp := 1
	if pal == nil {
		bpp = 3
	}
	parts := make([][]byte, len(bands))
	sums := make([]uint32, len(bands))
	errs := make([]error, len(bands))
	var wg sync.WaitGroup
	for i, rows := range bands {
		wg.Go(func() {
			parts[i], sums[i], errs[i] = deflateRows(img, rows, lookup, bpp, i == len(bands)-1)
		})
	}
	wg.Wait()
	defer func() {
		for _, p := range parts {
			bandBuffers.Put(&bytesBuffer{p[:0]})
		}
	}()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}

	bw := bufio.NewWriterSize(w, 4096) // the bands' bytes pass it by
	bw.WriteString("\x89PNG\r\n\x1a\n")
	var hdr [13]byte
	binary.BigEndian.PutUint32(hdr[0:], uint32(width))
	binary.BigEndian.PutUint32(hdr[4:], uint32(height))
	hdr[8], hdr[9] = 8, 3 // 8 bits per index, indexed colour
	if pal == nil {
		hdr[9] = 2 // 8 bits per channel, RGB
	}
	writeChunk(bw, "IHDR", hdr[:])
	if pal != nil {
		plte := make([]byte, 0, 3*len(pal))
		for _, c := range pal {
			plte = append(plte, byte(c), byte(c>>8), byte(c>>16))
		}
		writeChunk(bw, "PLTE", plte)
	}

	// One IDAT chunk per band, written from the band's own bytes: the zlib
	// header leads the first, the Adler-32 closes the last.
	sum := sums[0]
	for i := 1; i < len(parts); i++ {
		sum = adler32Combine(sum, sums[i], (bands[i][1]-bands[i][0])*(bpp*width+1))
	}
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], sum)
	for i, p := range parts {
		var head, end []byte
		if i == 0 {
			head = []byte{0x78, 0x01} // zlib header: deflate, 32 KiB window, fastest
		}
		if i == len(parts)-1 {
			end = tail[:]
		}
		writeChunk(bw, "IDAT", head, p, end)
	}
	writeChunk(bw, "IEND", nil)
	return bw.Flush()
}

// splitRows cuts h rows into up to n bands of at least 128 rows.
func splitRows(h, n int) [][2]int {
	n = max(1, min(n, h/128))
	out := make([][2]int, n)
	for i := range n {
		out[i] = [2]int{i * h / n, (i + 1) * h / n}
	}
	return out
}

// rgbAt reads the pixel at byte offset i as 0xBBGGRR, one load.
func rgbAt(pix []byte, i int) uint32 {
	return binary.LittleEndian.Uint32(pix[i:]) & 0xFFFFFF
}

// palette returns the image's colours (0xBBGGRR) and the palette index of
// each, or nil when there are more than 256 (the image is then written as
// RGB). It counts runs of equal pixels once, per band in parallel.
func palette(img *image.RGBA, bands [][2]int) ([]uint32, *colourTable) {
	counts := make([]*colourTable, len(bands))
	var wg sync.WaitGroup
	for i, rows := range bands {
		wg.Go(func() {
			m := newColourTable()
			w := 4 * img.Bounds().Dx()
			for y := rows[0]; y < rows[1]; y++ {
				pix := img.Pix[y*img.Stride : y*img.Stride+w]
				// A row equal to the one above adds no colour; skipping it
				// only understates counts, which order the palette.
				if y > rows[0] && bytes.Equal(pix, img.Pix[(y-1)*img.Stride:(y-1)*img.Stride+w]) {
					continue
				}
				last, run := rgbAt(pix, 0), 0
				for j := 0; j < len(pix); j += 4 {
					if c := rgbAt(pix, j); c != last {
						*m.slot(last) += run
						last, run = c, 0
					}
					run++
				}
				*m.slot(last) += run
				if m.n > 256 {
					// RGB then, whatever the rest holds: charts with
					// anti-aliased text usually get here within a few rows,
					// and counting on was 3 % of BenchmarkPackets300's CPU.
					break
				}
			}
			counts[i] = m
		})
	}
	wg.Wait()
	total := counts[0]
	for _, m := range counts[1:] {
		if total.n > 256 {
			return nil, nil
		}
		m.each(func(c uint32, n int) { *total.slot(c) += n })
	}
	var colours []uint32
	total.each(func(c uint32, _ int) { colours = append(colours, c) })
	slices.SortFunc(colours, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(*total.slot(b), *total.slot(a)), cmp.Compare(a, b))
	})
	if len(colours) > 256 {
		return nil, nil
	}
	pal := colours
	lookup := newColourTable()
	for i, c := range pal {
		*lookup.slot(c) = i
	}
	return pal, lookup
}

// deflateRows maps a band's pixels to palette indices (bpp 1) or RGB bytes
// (bpp 3), applies the "up" filter (a row like the one above becomes zeros)
// and deflates it; all but the last band end on a byte-aligned sync flush so
// the parts concatenate. It returns the band's compressed bytes and the
// Adler-32 of its filtered rows.
func deflateRows(img *image.RGBA, rows [2]int, lookup *colourTable, bpp int, last bool) ([]byte, uint32, error) {
	width := bpp * img.Bounds().Dx()
	buf, _ := bandBuffers.Get().(*bytesBuffer)
	if buf == nil {
		buf = new(bytesBuffer)
	}
	fw := fastflate.Get(buf)
	defer fastflate.Put(fw)
	prev := make([]byte, width) // palette indices of the row above
	cur := make([]byte, width)
	out := make([]byte, width+1)
	out[0] = 2
	// A row of the same pixels as the one above filters to zeros, whose
	// Adler-32 is known: the sum is combined per row rather than hashed
	// byte by byte (together with filtering RGB straight from the pixels,
	// a tenth of the encoder's CPU in BenchmarkPackets300).
	same := make([]byte, width+1)
	same[0] = 2
	sameSum := adler32.Checksum(same)
	sum := uint32(1) // the Adler-32 of nothing
	if lookup != nil && rows[0] > 0 {
		indexRow(img, rows[0]-1, prev, lookup)
	}
	w := 4 * img.Bounds().Dx()
	for y := rows[0]; y < rows[1]; y++ {
		pix := img.Pix[y*img.Stride : y*img.Stride+w]
		var above []byte
		if y > 0 {
			above = img.Pix[(y-1)*img.Stride : (y-1)*img.Stride+w]
		}
		if above != nil && bytes.Equal(pix, above) {
			sum = adler32Combine(sum, sameSum, width+1)
			if _, err := fw.Write(same); err != nil {
				return nil, 0, err
			}
			continue
		}
		if lookup == nil {
			upRGB(out[1:], pix, above)
		} else {
			indexRow(img, y, cur, lookup)
			for i := range cur {
				out[i+1] = cur[i] - prev[i]
			}
			prev, cur = cur, prev
		}
		sum = adler32Combine(sum, adler32.Checksum(out), width+1)
		if _, err := fw.Write(out); err != nil {
			return nil, 0, err
		}
	}
	var err error
	if last {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return buf.b, sum, err
}

// bandBuffers keeps the bands' compressed bytes between charts: grown by
// appending anew for each band, they were 490 MB of BenchmarkPackets300's
// 5.7 GB allocated. A buffer is emptied before it is pooled.
var bandBuffers sync.Pool // of *bytesBuffer

// bytesBuffer is a minimal append-only writer.
type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// writeChunk writes one PNG chunk, its data the concatenation of data,
// with its CRC.
func writeChunk(w *bufio.Writer, name string, data ...[]byte) {
	var n [4]byte
	size := 0
	for _, d := range data {
		size += len(d)
	}
	binary.BigEndian.PutUint32(n[:], uint32(size))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(name))
	w.WriteString(name)
	for _, d := range data {
		crc.Write(d)
		w.Write(d)
	}
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
