package fastflate

import (
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

var writers = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.BestSpeed) // errors only on a bad level
	return fw
}}

// Get returns a level-1 compressor writing to w. Give it back with Put
// once it is closed or flushed for the last time; a compressor holds no
// state a later borrower can see, as each is Reset when lent.
func Get(w io.Writer) *flate.Writer {
	fw := writers.Get().(*flate.Writer)
	fw.Reset(w)
	return fw
}

// Put returns a compressor to the pool; the caller must not use it again.
func Put(fw *flate.Writer) { writers.Put(fw) }

// WriteCloser is a lent compressor that goes back to the pool when
// closed, for APIs that take an io.WriteCloser (archive/zip's
// RegisterCompressor).
func WriteCloser(w io.Writer) io.WriteCloser { return &pooled{Get(w)} }

type pooled struct{ fw *flate.Writer }

func (p *pooled) Write(b []byte) (int, error) { return p.fw.Write(b) }

func (p *pooled) Close() error {
	err := p.fw.Close()
	Put(p.fw)
	p.fw = nil
	return err
}
