package packet

import (
	"bytes"
	"sync"
)

// buffers keeps the byte buffers a build fills and drops: fpdf's plain
// output, the compressed PDF and the workbook, each a few hundred kB per
// packet. Fresh ones grew by doubling and were cleared by the allocator,
// 5 % of BenchmarkPackets300's CPU. A buffer is Reset before reuse, so the
// pool holds nothing a caller can see.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps an unusual giant out of the pool.
const maxPooledBuffer = 8 << 20

func getBuffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuffer returns a buffer once nothing reads its bytes.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		buffers.Put(b)
	}
}
