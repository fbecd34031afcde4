package packet

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// deflateStreams copies a PDF that fpdf wrote without compression, deflating
// every unfiltered stream (page contents, ToUnicode maps) through pooled
// writers and rewriting the cross-reference table for the new offsets.
//
// Why: fpdf compresses each stream with a new zlib writer, and a writer
// allocates and zeroes about 1 MB; a packet's 14 pages cost as much in
// allocation and GC as in compressing (BenchmarkPackets300, CPU profile).
// fpdf offers no hook for its compressor, so the document is written plain
// and compressed here. Its font files stay deflated by fpdf itself, which
// compresses them whatever SetCompression says. The input must be
// unencrypted fpdf output: objects "N 0 obj", one classic xref table.
func deflateStreams(w io.Writer, pdf []byte) error {
	objs, xref, err := pdfObjects(pdf)
	if err != nil {
		return err
	}
	out := getBuffer()
	defer putBuffer(out)
	out.Grow(len(pdf)) // compressed, it only shrinks
	out.Write(pdf[:objs[0].at])
	offsets := make([]int, len(objs)+1)
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	z := getBuffer()
	defer putBuffer(z)
	for i, o := range objs {
		end := xref
		if i+1 < len(objs) {
			end = objs[i+1].at
		}
		offsets[o.n] = out.Len()
		body := pdf[o.at:end]
		head := []byte(strconv.Itoa(o.n) + " 0 obj\n<</Length ")
		data, ok := plainStream(body, head)
		if !ok {
			out.Write(body)
			continue
		}
		z.Reset()
		zw.Reset(z)
		if _, err := zw.Write(data); err != nil {
			return fmt.Errorf("packet: pdf stream %d: %w", o.n, err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("packet: pdf stream %d: %w", o.n, err)
		}
		fmt.Fprintf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", o.n, z.Len())
		out.Write(z.Bytes())
		out.WriteString("\nendstream\nendobj\n")
	}
	// The table keeps fpdf's layout: one 20-byte line per object.
	start := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets[1:] {
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	trailer := bytes.Index(pdf[xref:], []byte("trailer\n"))
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if trailer < 0 || sx < xref {
		return fmt.Errorf("packet: pdf has no trailer")
	}
	out.Write(pdf[xref+trailer : sx])
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", start)
	_, err = w.Write(out.Bytes())
	return err
}

// zlibWriters are the pooled compressors of deflateStreams, at fpdf's
// level, from klauspost/compress as the charts' PNGs are (about twice as
// fast as compress/zlib at this level).
var zlibWriters = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // errors only on a bad level
	return zw
}}

// pdfObject is object n starting at byte at.
type pdfObject struct{ n, at int }

// pdfObjects reads the xref table: every object's number and offset, in
// the order of the file, and where the table starts.
func pdfObjects(pdf []byte) ([]pdfObject, int, error) {
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if sx < 0 {
		return nil, 0, fmt.Errorf("packet: pdf has no startxref")
	}
	rest := pdf[sx+len("startxref\n"):]
	xref, err := strconv.Atoi(string(rest[:max(0, bytes.IndexByte(rest, '\n'))]))
	if err != nil || xref <= 0 || xref >= sx {
		return nil, 0, fmt.Errorf("packet: pdf startxref: bad offset")
	}
	var count int
	if _, err := fmt.Sscanf(string(pdf[xref:min(len(pdf), xref+64)]), "xref\n0 %d\n", &count); err != nil || count < 2 {
		return nil, 0, fmt.Errorf("packet: pdf xref: %v", err)
	}
	first := xref + bytes.Index(pdf[xref:], []byte("0000000000 65535 f \n")) + 20
	if first < xref+20 || first+20*(count-1) > len(pdf) {
		return nil, 0, fmt.Errorf("packet: pdf xref: short table")
	}
	objs := make([]pdfObject, 0, count-1)
	for n := 1; n < count; n++ {
		at, err := strconv.Atoi(string(pdf[first+20*(n-1) : first+20*(n-1)+10]))
		if err != nil || at <= 0 || at >= xref || !bytes.HasPrefix(pdf[at:], []byte(strconv.Itoa(n)+" 0 obj\n")) {
			return nil, 0, fmt.Errorf("packet: pdf xref: object %d not where the table says", n)
		}
		objs = append(objs, pdfObject{n: n, at: at})
	}
	slices.SortFunc(objs, func(a, b pdfObject) int { return a.at - b.at })
	return objs, xref, nil
}

// plainStream returns the data of an object that is nothing but an
// unfiltered stream ("N 0 obj\n<</Length L>>\nstream\n…\nendstream\nendobj\n").
func plainStream(obj, head []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(obj, head)
	if !ok {
		return nil, false
	}
	i := bytes.Index(rest, []byte(">>\nstream\n"))
	if i < 0 {
		return nil, false
	}
	n, err := strconv.Atoi(string(rest[:i]))
	rest = rest[i+len(">>\nstream\n"):]
	if err != nil || n < 0 || n > len(rest) || string(rest[n:]) != "\nendstream\nendobj\n" {
		return nil, false
	}
	return rest[:n], true
}
