package packet

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 16.0
	marginTop    = 16.0
	marginBottom = 18.0
	contentW     = pageW - 2*marginX
	pad          = 1.2
)

const family = "LiberationSans"

// pdfDoc wraps fpdf with the packet's typography.
type pdfDoc struct {
	*fpdf.Fpdf
	r *report
	// same tells the characters the document's fonts draw as Liberation
	// Sans does (nil: all); outside is set once a text has another.
	same    func(rune) bool
	outside bool
}

// writePDF renders the report, its charts and the follow-up form as a PDF,
// in the cut fonts unless a text has a character they lack.
func (r *report) writePDF(w io.Writer) error {
	fonts, err := cutFonts()
	if err != nil {
		return err
	}
	plain := getBuffer()
	defer putBuffer(plain)
	d, err := r.renderPDF(plain, fonts)
	if err == nil && d.outside {
		plain.Reset()
		_, err = r.renderPDF(plain, fullFonts)
	}
	if err != nil {
		return fmt.Errorf("packet: pdf of %s: %w", r.unit.Code, err)
	}
	if err := deflateStreams(w, plain.Bytes()); err != nil {
		return fmt.Errorf("packet: pdf of %s: %w", r.unit.Code, err)
	}
	return nil
}

// renderPDF writes the document, its streams uncompressed, to w, or
// nothing once a text leaves its fonts (d.outside).
func (r *report) renderPDF(w io.Writer, fonts pdfFonts) (*pdfDoc, error) {
	p := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{Fpdf: p, r: r, same: fonts.same}
	p.SetCompression(false) // deflateStreams compresses the output instead
	p.AddUTF8FontFromBytes(family, "", fonts.ttf[0])
	p.AddUTF8FontFromBytes(family, "B", fonts.ttf[1])
	p.SetMargins(marginX, marginTop, marginX)
	p.SetAutoPageBreak(false, marginBottom)
	p.SetTitle(r.title+" — "+r.unit.Name, true)
	p.SetAuthor(r.fields.Signatory+" · "+strings.Join(r.fields.Letterhead, " "), true)
	p.SetCreator("Integritas", true)
	p.AliasNbPages("{nb}")
	p.SetHeaderFunc(d.provisionalHeader)
	p.SetFooterFunc(func() {
		p.SetY(-12)
		d.font(false, 7.5)
		p.SetTextColor(90, 90, 90)
		d.CellFormat(contentW*0.8, 5, r.unit.Name+" · "+r.period, "", 0, "L", false, 0, "")
		d.CellFormat(contentW*0.2, 5, r.t.T("packet.page", "Page", p.PageNo(), "Pages", "{nb}"), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})

	d.letterPage()
	d.briefPage()
	p.AddPage()
	d.font(true, 15)
	d.para(r.title, 7)
	d.font(true, 12)
	d.para(r.unit.Name+" ("+r.unit.Code+")", 6)
	p.Ln(3)
	for _, tb := range r.tables {
		d.table(tb, 5)
	}
	d.chartPages()
	p.AddPage()
	d.table(r.followUp, 14)
	if err := p.Error(); err != nil {
		return nil, err
	}
	if d.outside { // drawn again from the full fonts: spare the output
		return d, nil
	}
	return d, p.Output(w)
}

// CellFormat is fpdf's, noting a character the fonts draw otherwise.
func (d *pdfDoc) CellFormat(w, h float64, s, border string, ln int, align string, fill bool, link int, linkStr string) {
	d.check(s)
	d.Fpdf.CellFormat(w, h, s, border, ln, align, fill, link, linkStr)
}

// MultiCell is fpdf's, noting a character the fonts draw otherwise.
func (d *pdfDoc) MultiCell(w, h float64, s, border, align string, fill bool) {
	d.check(s)
	d.Fpdf.MultiCell(w, h, s, border, align, fill)
}

func (d *pdfDoc) check(s string) {
	if d.same == nil || d.outside {
		return
	}
	for _, c := range s {
		if !d.same(c) {
			d.outside = true
			return
		}
	}
}

func (d *pdfDoc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont(family, style, size)
}

// para writes a wrapped paragraph over the content width.
func (d *pdfDoc) para(s string, lh float64) {
	lines := d.SplitText(s, contentW)
	d.room(float64(len(lines)) * lh)
	for _, l := range lines {
		d.SetX(marginX)
		d.CellFormat(contentW, lh, l, "", 1, "L", false, 0, "")
	}
}

// room starts a new page unless h millimetres still fit on this one.
func (d *pdfDoc) room(h float64) bool {
	if d.GetY()+h > pageH-marginBottom {
		d.AddPage()
		return true
	}
	return false
}

// table draws a heading, intro, the table with a repeated header row, and notes.
func (d *pdfDoc) table(tb table, minRow float64) {
	d.room(30)
	d.font(true, 11.5)
	d.para(tb.title, 6)
	if tb.intro != "" {
		d.font(false, 8.5)
		d.para(tb.intro, 4)
	}
	d.Ln(1)
	if len(tb.rows) == 0 {
		d.font(false, 9)
		d.para(tb.empty, 5)
		d.Ln(4)
		return
	}
	ws := widths(tb.widths)
	d.row(tb.head, ws, true, 0)
	for _, row := range tb.rows {
		texts := make([]string, len(row))
		for i, c := range row {
			texts[i] = c.text
		}
		if d.row(texts, ws, false, minRow) {
			d.row(tb.head, ws, true, 0)
			d.row(texts, ws, false, minRow)
		}
	}
	d.font(false, 7.5)
	for _, n := range tb.notes {
		d.para(n, 3.8)
	}
	d.Ln(4)
}

// row draws one table row, or reports true without drawing when it needs a
// new page (which it has started) so the caller can repeat the header.
func (d *pdfDoc) row(texts []string, ws []float64, head bool, minH float64) bool {
	const lh = 3.8
	d.font(head, 8)
	lines := make([][]string, len(texts))
	n := 1
	for i, s := range texts {
		lines[i] = d.SplitText(s, ws[i])
		n = max(n, len(lines[i]))
	}
	h := max(float64(n)*lh+2*pad, minH)
	if !head && d.room(h) {
		return true
	}
	x, y := marginX, d.GetY()
	d.SetDrawColor(170, 170, 170)
	d.SetLineWidth(0.2)
	for i := range texts {
		if head {
			d.SetFillColor(225, 230, 238)
			d.Rect(x, y, ws[i], h, "FD")
		} else {
			d.Rect(x, y, ws[i], h, "D")
		}
		for j, l := range lines[i] {
			d.SetXY(x, y+pad+float64(j)*lh)
			d.CellFormat(ws[i], lh, l, "", 0, "L", false, 0, "")
		}
		x += ws[i]
	}
	d.SetXY(marginX, y+h)
	return false
}

// widths scales relative widths to the content width.
func widths(rel []float64) []float64 {
	var sum float64
	for _, w := range rel {
		sum += w
	}
	out := make([]float64, len(rel))
	for i, w := range rel {
		out[i] = contentW * w / sum
	}
	return out
}

// chartPages places each chart PNG at the content width.
func (d *pdfDoc) chartPages() {
	r := d.r
	if len(r.charts) == 0 {
		return
	}
	d.AddPage()
	d.font(true, 11.5)
	d.para(r.t.T("packet.charts.title"), 6)
	d.Ln(2)
	for _, c := range r.charts {
		w := contentW
		h := w * float64(c.h) / float64(c.w)
		if h > pageH-marginTop-marginBottom-10 {
			h = pageH - marginTop - marginBottom - 10
			w = h * float64(c.w) / float64(c.h)
		}
		d.room(h + 4)
		opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
		d.RegisterImageOptionsReader(c.name, opt, bytes.NewReader(c.png))
		d.ImageOptions(c.name, marginX, d.GetY(), w, h, false, opt, 0, "")
		d.SetY(d.GetY() + h + 4)
	}
}
