package packet

// Letter geometry in millimetres: the labels' column (Nomor, Sifat, …), the
// colon after it, and where the signature block starts.
const (
	labelW = 24.0
	colonW = 4.0
	signX  = 112.0
)

// letterPage is the cover letter from the inspectorate to the unit head, in
// the Indonesian official-letter form: kop surat, a double rule, place and
// date, nomor/sifat/lampiran/perihal, the addressee, the body and the
// signature block with jabatan, name and NIP.
func (d *pdfDoc) letterPage() {
	r := d.r
	f := r.fields
	d.AddPage()
	d.letterhead(f)
	if r.provisional != "" {
		d.provisionalBanner(r.provisional)
	}
	d.font(false, 10.5)
	d.SetX(marginX)
	d.CellFormat(contentW, 5.2, f.PlaceDate, "", 1, "R", false, 0, "")
	d.Ln(1)
	for i, v := range []string{f.Number, f.Nature, f.Enclosure, f.Subject} {
		d.labelled(f.Labels[i], v, i == 3)
	}
	d.Ln(5)
	for i, l := range f.To {
		if i == len(f.To)-1 { // "Tempat" stands indented under "di"
			d.SetX(marginX + 8)
			d.CellFormat(contentW-8, 5.2, l, "", 1, "L", false, 0, "")
			continue
		}
		d.para(l, 5.2)
	}
	d.Ln(5)
	for _, p := range r.letter {
		lines := d.SplitText(p, contentW)
		d.room(float64(len(lines)) * 5.2)
		d.SetX(marginX)
		d.MultiCell(contentW, 5.2, p, "", "J", false)
		d.Ln(2.5)
	}
	d.signature(f)
}

// letterhead draws the kop surat: the government and the inspectorate in
// capitals, the address under them, centred, over a thick and a thin rule.
func (d *pdfDoc) letterhead(f LetterFields) {
	for i, l := range f.Letterhead {
		size := 13.0
		if i == len(f.Letterhead)-1 {
			size = 15 // the inspectorate's own name
		}
		d.font(true, size)
		d.SetX(marginX)
		d.CellFormat(contentW, size*0.5, l, "", 1, "C", false, 0, "")
	}
	d.font(false, 9.5)
	for _, l := range f.Address {
		d.SetX(marginX)
		d.CellFormat(contentW, 4.6, l, "", 1, "C", false, 0, "")
	}
	y := d.GetY() + 1.5
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.8)
	d.Line(marginX, y, pageW-marginX, y)
	d.SetLineWidth(0.25)
	d.Line(marginX, y+1.2, pageW-marginX, y+1.2)
	d.SetLineWidth(0.2)
	d.SetY(y + 5)
}

// labelled writes one "Nomor : …" line of the letter's heading; the value
// wraps under itself.
func (d *pdfDoc) labelled(label, value string, bold bool) {
	d.font(false, 10.5)
	w := contentW - labelW - colonW - 50 // the right part stays free, as on a typed letter
	lines := d.SplitText(value, w)
	for i, l := range lines {
		d.SetX(marginX)
		if i == 0 {
			d.CellFormat(labelW, 5.2, label, "", 0, "L", false, 0, "")
			d.CellFormat(colonW, 5.2, ":", "", 0, "L", false, 0, "")
		} else {
			d.CellFormat(labelW+colonW, 5.2, "", "", 0, "L", false, 0, "")
		}
		d.font(bold, 10.5)
		d.CellFormat(w, 5.2, l, "", 1, "L", false, 0, "")
		d.font(false, 10.5)
	}
}

// signature draws the signing official's block on the right: jabatan,
// room for the signature and stamp, the name underlined, rank and NIP.
func (d *pdfDoc) signature(f LetterFields) {
	d.room(45)
	d.Ln(4)
	w := pageW - marginX - signX
	line := func(s string, bold, underline bool) {
		style := ""
		if bold {
			style = "B"
		}
		if underline {
			style += "U"
		}
		d.SetFont(family, style, 10.5)
		for _, l := range d.SplitText(s, w) {
			d.SetX(signX)
			d.CellFormat(w, 5.2, l, "", 1, "C", false, 0, "")
		}
	}
	line(f.Title+",", false, false)
	d.Ln(22)
	if f.Signatory != "" {
		line(f.Signatory, true, true)
	}
	if f.Rank != "" {
		line(f.Rank, false, false)
	}
	if f.NIP != "" {
		line(f.NIP, false, false)
	}
}

// provisionalBanner marks the letter of a packet built while the period is
// open, in a red box under the kop.
func (d *pdfDoc) provisionalBanner(mark string) {
	d.font(true, 14)
	d.SetTextColor(178, 24, 43)
	d.SetDrawColor(178, 24, 43)
	d.SetLineWidth(0.6)
	d.SetX(marginX)
	d.CellFormat(contentW, 9, mark, "1", 1, "C", false, 0, "")
	d.SetLineWidth(0.2)
	d.SetTextColor(0, 0, 0)
	d.SetDrawColor(60, 60, 60)
	d.Ln(3)
}

// provisionalHeader prints the mark at the top of every page while the
// packet is provisional; it runs as fpdf's header, inside the top margin.
func (d *pdfDoc) provisionalHeader() {
	mark := d.r.provisional
	if mark == "" {
		return
	}
	x, y := d.GetXY()
	d.font(true, 8.5)
	d.SetTextColor(178, 24, 43)
	d.SetXY(marginX, 6)
	d.CellFormat(contentW, 5, mark, "", 0, "R", false, 0, "")
	d.SetTextColor(0, 0, 0)
	d.SetXY(x, y)
}
