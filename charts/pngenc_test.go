package charts

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	imgdraw "image/draw"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"

	"integritas/analysis"

	"gonum.org/v1/plot/vg/draw"
)

func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5552, 65521, 70000, 200000} {
		a, b := make([]byte, 1000+n%333), make([]byte, n)
		for i := range a {
			a[i] = byte(rng.IntN(256))
		}
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		want := adler32.Checksum(append(append([]byte{}, a...), b...))
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Errorf("n=%d: %08x, want %08x", n, got, want)
		}
	}
}

// TestEncodePNG round-trips images through image/png: exact with up to 256
// colours, every pixel near its source beyond that.
func TestEncodePNG(t *testing.T) {
	for _, tc := range []struct {
		name    string
		w, h    int
		colours int
	}{
		{"one band, few colours", 37, 100, 7},
		{"several bands, 256 colours", 300, 1100, 256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(tc.colours)))
			// Colours are blends of a few bases, as anti-aliased edges are.
			base := []color.RGBA{colInk(), rgb(0xFF, 0xFF, 0xFF), colUnit(), colCity(), colSky(), colHidden(), rgb(0xF8, 0xB2, 0x9D), rgb(0xAC, 0xCD, 0xE5)}
			pal := make([]color.RGBA, tc.colours)
			for i := range pal {
				pal[i] = mix(base[rng.IntN(len(base))], base[rng.IntN(len(base))], rng.Float64())
			}
			img := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
			for y := range tc.h {
				for x := range tc.w {
					// Runs and repeated rows, as in a chart.
					img.SetRGBA(x, y, pal[(x/3+y/5*7)%tc.colours])
				}
			}
			var buf bytes.Buffer
			if err := encodePNG(&buf, img); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("image/png rejects it: %v", err)
			}
			if got.Bounds() != img.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), img.Bounds())
			}
			worst := 0
			for y := range tc.h {
				for x := range tc.w {
					r, g, b, _ := got.At(x, y).RGBA()
					w := img.RGBAAt(x, y)
					d := max(absDiff(int(r>>8), int(w.R)), absDiff(int(g>>8), int(w.G)), absDiff(int(b>>8), int(w.B)))
					worst = max(worst, d)
				}
			}
			if tc.colours <= 256 && worst != 0 || worst > 24 {
				t.Errorf("worst channel error %d", worst)
			}
		})
	}
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// TestEncodePNGChart encodes a real chart, whose anti-aliased text holds more
// than 256 colours, and bounds the error of the palette.
func TestEncodePNGChart(t *testing.T) {
	ch, err := Ranking(synthResults(t, 60, 8), rankingOptions())
	if err != nil {
		t.Fatal(err)
	}
	cv := newRaster(ch.w, ch.h, ch.dpi)
	ch.paint(draw.New(cv))
	seen := map[color.RGBA]bool{}
	for i := 0; i < len(cv.img.Pix); i += 4 {
		seen[color.RGBA{cv.img.Pix[i], cv.img.Pix[i+1], cv.img.Pix[i+2], 255}] = true
	}
	if len(seen) <= 256 {
		t.Fatalf("only %d colours: the test needs more than the palette holds", len(seen))
	}
	var buf bytes.Buffer
	if err := encodePNG(&buf, cv.img); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	worst, sum, n := 0, 0, 0
	for y := range cv.img.Bounds().Dy() {
		for x := range cv.img.Bounds().Dx() {
			r, g, b, _ := got.At(x, y).RGBA()
			w := cv.img.RGBAAt(x, y)
			d := max(absDiff(int(r>>8), int(w.R)), absDiff(int(g>>8), int(w.G)), absDiff(int(b>>8), int(w.B)))
			worst, sum, n = max(worst, d), sum+d, n+1
		}
	}
	t.Logf("%d colours; worst channel error %d, mean %.4f", len(seen), worst, float64(sum)/float64(n))
	if worst > 24 || float64(sum)/float64(n) > 0.05 {
		t.Errorf("worst channel error %d, mean %.4f", worst, float64(sum)/float64(n))
	}
}

// TestEncodePNGLossless: a chart of more than 256 colours (anti-aliased text
// on coloured bands) decodes to exactly the pixels drawn, so the PNG's text
// is the text the pixel test compared with vgimg.
func TestEncodePNGLossless(t *testing.T) {
	in := synthInput(7, 40, 10)
	res, err := analysis.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	for name, build := range map[string]func() (*Chart, error){
		"ranking": func() (*Chart, error) { return Ranking(res, rankingOptions()) },
		"heatmap": func() (*Chart, error) { return Heatmap(res, heatmapOptions(analysis.Internal)) },
	} {
		ch, err := build()
		if err != nil {
			t.Fatal(err)
		}
		cv := newRaster(ch.w, ch.h, ch.dpi)
		ch.paint(draw.New(cv))
		var buf bytes.Buffer
		if err := encodePNG(&buf, cv.img); err != nil {
			t.Fatal(err)
		}
		im, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got := image.NewRGBA(im.Bounds())
		imgdraw.Draw(got, got.Rect, im, image.Point{}, imgdraw.Src)
		colours := map[[3]byte]bool{}
		for i := 0; i < len(cv.img.Pix); i += 4 {
			colours[[3]byte(cv.img.Pix[i:i+3])] = true
		}
		if n, most := diff(got, cv.img); n > 0 || len(colours) <= 256 {
			t.Errorf("%s: %d pixels changed (largest %d) of a chart of %d colours", name, n, most, len(colours))
		}
	}
}

// benchEncode encodes a 300-row ranking as a request does.
func benchEncode(b *testing.B, enc func(io.Writer, *image.RGBA) error) {
	ch, err := ranking300(bench300())
	if err != nil {
		b.Fatal(err)
	}
	cv := newRaster(ch.w, ch.h, ch.dpi)
	ch.paint(draw.New(cv))
	start := cpuTime()
	for b.Loop() {
		if err := enc(io.Discard, cv.img); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// The project's encoder against image/png, in one run: keep pngenc.go only
// while it is clearly the cheaper.
func BenchmarkPNGEncoderOwn(b *testing.B) { benchEncode(b, encodePNG) }
func BenchmarkPNGEncoderStdBestSpeed(b *testing.B) {
	e := png.Encoder{CompressionLevel: png.BestSpeed}
	benchEncode(b, func(w io.Writer, img *image.RGBA) error { return e.Encode(w, img) })
}
func BenchmarkPNGEncoderStdDefault(b *testing.B) {
	benchEncode(b, func(w io.Writer, img *image.RGBA) error { return png.Encode(w, img) })
}

// upRGBBytes is upRGB one byte at a time, as it was before.
func upRGBBytes(out, pix, above []byte) {
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

// TestUpRGB: the word-wise filter writes the bytes of the byte-wise one,
// for rows of every length near its step and bytes that borrow.
func TestUpRGB(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for w := range 12 {
		pix, above := make([]byte, 4*w), make([]byte, 4*w)
		for i := range pix {
			pix[i], above[i] = byte(rng.IntN(256)), byte(rng.IntN(256))
		}
		for _, ab := range [][]byte{nil, above} {
			got, want := make([]byte, 3*w), make([]byte, 3*w)
			upRGB(got, pix, ab)
			upRGBBytes(want, pix, ab)
			if !bytes.Equal(got, want) {
				t.Errorf("width %d, above %v: %x, want %x", w, ab != nil, got, want)
			}
		}
	}
}

func BenchmarkUpRGB(b *testing.B) {
	pix, above, out := make([]byte, 4*853), make([]byte, 4*853), make([]byte, 3*853)
	for i := range pix {
		pix[i], above[i] = byte(i*7), byte(i*13)
	}
	b.Run("words", func(b *testing.B) {
		for b.Loop() {
			upRGB(out, pix, above)
		}
	})
	b.Run("bytes", func(b *testing.B) {
		for b.Loop() {
			upRGBBytes(out, pix, above)
		}
	})
}
