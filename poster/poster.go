package poster

import (
	"bytes"
	"fmt"
	"io"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
)

// Poster is one page.
type Poster struct {
	Heading      string   // e.g. "SURVEI PENILAIAN INTEGRITAS 2026"
	Unit         string   // the unit's name, large
	Lines        []string // the short invitation, a few sentences
	ScanHint     string   // e.g. "Pindai kode QR ini dengan ponsel Anda"
	URL          string   // the open link, printed under the QR code
	QR           []byte   // the QR code PNG of URL
	Inspectorate string   // who invites, at the foot
}

const family = "LiberationSans"

// Write draws the posters as one PDF, A4 portrait, a page each.
func Write(w io.Writer, posters []Poster) error {
	if len(posters) == 0 {
		return fmt.Errorf("poster: no posters")
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle("Poster SPI", true)
	p.SetCreator("Integritas", true)
	p.AddUTF8FontFromBytes(family, "", liberationsansregular.TTF)
	p.AddUTF8FontFromBytes(family, "B", liberationsansbold.TTF)
	p.SetMargins(20, 20, 20)
	p.SetAutoPageBreak(false, 0)
	for i, ps := range posters {
		p.AddPage()
		p.SetFillColor(0x1f, 0x4e, 0x79)
		p.Rect(0, 0, 210, 12, "F")
		p.SetTextColor(0x1f, 0x4e, 0x79)
		p.SetFont(family, "B", 16)
		p.SetXY(20, 24)
		p.MultiCell(170, 8, ps.Heading, "", "C", false)
		p.SetTextColor(0, 0, 0)
		p.SetFont(family, "B", 26)
		p.SetX(20)
		p.MultiCell(170, 12, ps.Unit, "", "C", false)
		p.Ln(4)
		p.SetFont(family, "", 14)
		for _, l := range ps.Lines {
			p.SetX(20)
			p.MultiCell(170, 7, l, "", "C", false)
			p.Ln(1)
		}
		name := fmt.Sprintf("qr%d", i)
		p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(ps.QR))
		y := max(p.GetY()+6, 120)
		p.ImageOptions(name, 55, y, 100, 100, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		p.SetXY(20, y+102)
		p.SetFont(family, "", 12)
		p.MultiCell(170, 6, ps.ScanHint, "", "C", false)
		p.SetFont(family, "B", 15)
		p.SetX(20)
		p.MultiCell(170, 8, ps.URL, "", "C", false)
		p.SetFont(family, "", 11)
		p.SetXY(20, 275)
		p.MultiCell(170, 5, ps.Inspectorate, "", "C", false)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("poster: %w", err)
	}
	return p.Output(w)
}
