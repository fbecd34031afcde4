package packet

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"slices"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// pdfFonts are the TrueType programs of the PDF's regular and bold styles,
// and which characters they draw as Liberation Sans does (nil: all).
type pdfFonts struct {
	ttf  [2][]byte
	same func(rune) bool
}

var fullFonts = pdfFonts{ttf: [2][]byte{liberationsansregular.TTF, liberationsansbold.TTF}}

// cutFonts returns Liberation Sans cut down, once per process, to the
// characters of cutRanges.
//
// Why: fpdf parses the whole TrueType program of every font a document
// adds and subsets it again at the end, and cannot share a parsed font
// between documents. A program of a few hundred glyphs instead of 2,600
// parses and subsets in less time: the PDFs of BenchmarkPackets300 took
// 3.3 CPU-s instead of 4.3 and allocated 4.0 GB instead of 4.7. The cut
// keeps each glyph's outline and width, so pages are laid out and drawn
// the same (TestCutFontsDrawAlike); a document with a character outside it
// is drawn again from the full fonts (writePDF).
var cutFonts = sync.OnceValues(func() (pdfFonts, error) {
	var out pdfFonts
	var same [2]func(rune) bool
	for i, ttf := range fullFonts.ttf {
		var err error
		if out.ttf[i], same[i], err = cutFont(ttf); err != nil {
			return pdfFonts{}, err
		}
	}
	out.same = func(r rune) bool { return same[0](r) && same[1](r) }
	return out, nil
})

// cutRanges are the characters the cut fonts keep where Liberation Sans
// has them: Latin with its accents and symbols, Greek, Cyrillic,
// punctuation, currency, letter-like signs, arrows, mathematical operators
// and geometric shapes.
var cutRanges = [][2]rune{{0x20, 0x17f}, {0x370, 0x3ff}, {0x2000, 0x206f}, {0x2190, 0x22ff}, {0x25a0, 0x25ff}}

// cutFont has fpdf subset ttf to the characters of cutRanges, writing them
// in a throwaway document, and reads the program back from that
// document's font file stream. same tells the characters the cut draws
// as ttf does: those it keeps, and those ttf lacks as well.
func cutFont(ttf []byte) (cut []byte, same func(rune) bool, err error) {
	full, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, nil, fmt.Errorf("packet: font: %w", err)
	}
	var sb sfnt.Buffer
	var text []rune
	var bits [0x10000 / 64]uint64
	for r := rune(0); r < 0x10000; r++ {
		g, err := full.GlyphIndex(&sb, r)
		if err != nil {
			return nil, nil, fmt.Errorf("packet: font: %w", err)
		}
		switch {
		case g == 0:
		case slices.ContainsFunc(cutRanges, func(rg [2]rune) bool { return rg[0] <= r && r <= rg[1] }):
			text = append(text, r)
		default:
			continue
		}
		bits[r/64] |= 1 << (r % 64)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(false)
	p.AddUTF8FontFromBytes(family, "", ttf)
	p.AddPage()
	p.SetFont(family, "", 10)
	p.CellFormat(0, 5, string(text), "", 0, "L", false, 0, "")
	var pdf bytes.Buffer
	if err := p.Output(&pdf); err != nil {
		return nil, nil, fmt.Errorf("packet: font: %w", err)
	}
	// The one stream fpdf gives a Length1: the font program, deflated.
	at := bytes.Index(pdf.Bytes(), []byte("/Filter /FlateDecode\n/Length1 "))
	start := bytes.Index(pdf.Bytes()[max(at, 0):], []byte(">>\nstream\n"))
	if at < 0 || start < 0 {
		return nil, nil, fmt.Errorf("packet: font: no font program in fpdf's output")
	}
	zr, err := zlib.NewReader(bytes.NewReader(pdf.Bytes()[at+start+len(">>\nstream\n"):]))
	if err != nil {
		return nil, nil, fmt.Errorf("packet: font: %w", err)
	}
	if cut, err = io.ReadAll(zr); err != nil {
		return nil, nil, fmt.Errorf("packet: font: %w", err)
	}
	return cut, func(r rune) bool { return r < 0x10000 && bits[r/64]&(1<<(r%64)) != 0 }, nil
}
