package charts

import (
	"image"
	"sync"
)

// pixBuffers keeps the pixel buffers of finished rasters. A packet's chart
// is about 850 × 530 pixels, 1.8 MB of RGBA, and 300 packets draw 2,100 of
// them: allocating each afresh (zeroed, then painted white anyway) was a
// tenth of BenchmarkPackets300's CPU in allocation and GC. The pool holds
// no state a caller can see; every raster paints its background first.
var pixBuffers sync.Pool // of *[]byte

// maxPooledPix bounds a buffer worth keeping: a 300-row ranking is several
// times a packet chart, and the pool must not pin a 60 M pixel raster.
const maxPooledPix = 16 << 20

// newRGBA returns a w × h image whose pixels are undefined: the caller
// fills the background (vgimg.NewWith does).
func newRGBA(w, h int) *image.RGBA {
	n := 4 * w * h
	if p, ok := pixBuffers.Get().(*[]byte); ok {
		if cap(*p) >= n {
			return &image.RGBA{Pix: (*p)[:n], Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
		}
		pixBuffers.Put(p) // too small for this one; another chart may fit
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// releaseRGBA hands an image's pixels back once nothing reads them.
func releaseRGBA(img *image.RGBA) {
	if cap(img.Pix) > maxPooledPix {
		return
	}
	p := img.Pix[:0]
	pixBuffers.Put(&p)
}
