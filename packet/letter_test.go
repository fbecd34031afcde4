package packet

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/internal/demo"
)

// TestOfficialLetter: the packet's PDF opens with an Indonesian official
// letter whose nomor, sifat, lampiran, perihal, place and date, addressee and
// signatory (jabatan, name, rank, NIP) come from the stored organisation
// settings; pdftotext finds each of them.
func TestOfficialLetter(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	org := demoOrg()
	seq := slices.Index(src.Units(), "DPUPR") + 1
	wantNumber := fmt.Sprintf("700/%03d/INSP/XI/2026", seq) // 22 November 2026
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			tr := src.Bundle.For(lang)
			var buf bytes.Buffer
			if err := src.PDF(&buf, "DPUPR", lang); err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(pdfText(t, buf.Bytes()), "\f")
			letter := flatten(pages[0])
			f, err := src.LetterFields("DPUPR", lang)
			if err != nil {
				t.Fatal(err)
			}
			if f.Number != wantNumber || f.NIP != "NIP "+org.SignatoryNIP {
				t.Errorf("fields: number %q, NIP %q", f.Number, f.NIP)
			}
			month := map[string]string{"id": "November", "en": "November"}[lang]
			for _, want := range []string{
				"PEMERINTAH KOTA SUKAMAJU", "INSPEKTORAT KOTA SUKAMAJU", "Jl. Merdeka No. 1, Sukamaju 12345", "Telepon (021) 555-0101",
				tr.T("packet.letter.label.number") + " : " + wantNumber,
				tr.T("packet.letter.label.nature") + " : Penting",
				tr.T("packet.letter.label.enclosure") + " : " + tr.T("packet.letter.enclosure"),
				tr.T("packet.letter.label.subject") + " : " + tr.T("packet.letter.subject", "Period", src.Current.Period.Name),
				"Sukamaju, 22 " + month + " 2026",
				tr.T("packet.letter.to"), tr.T("packet.letter.to_unit", "Unit", unitResult(t, src, "DPUPR").Name),
				"Inspektur Kota Sukamaju,", org.Signatory, org.SignatoryRank, "NIP 19700817 199503 2 004",
			} {
				if !strings.Contains(letter, flatten(want)) {
					t.Errorf("the letter lacks %q:\n%s", want, pages[0])
				}
			}
		})
	}
}

// TestProvisionalPackets: a packet built while the period is open says
// SEMENTARA / PROVISIONAL on its letter and at the top of every page; one
// built after the period closed says it nowhere.
func TestProvisionalPackets(t *testing.T) {
	st := demoStore(t)
	open := demoSource(t, st)
	closed := loadSource(t, st, demo.Previous, bundle(t), demoOrg())
	if !open.Provisional() || closed.Provisional() {
		t.Fatalf("provisional: open period %v, closed period %v", open.Provisional(), closed.Provisional())
	}
	tr := open.Bundle.For("id")
	mark := tr.T("packet.provisional.mark")
	var buf bytes.Buffer
	if err := open.PDF(&buf, "DPUPR", "id"); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(pdfText(t, buf.Bytes()), "\f\n"), "\f")
	if len(pages) < 5 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, mark) {
			t.Errorf("page %d of %d of an open period's packet is not marked %q", i+1, len(pages), mark)
		}
	}
	if !strings.Contains(flatten(pages[0]), flatten(tr.T("packet.provisional.letter", "Period", open.Current.Period.Name, "Closes", open.Current.Period.ClosesOn))) {
		t.Errorf("the letter does not say why it is provisional:\n%s", pages[0])
	}
	t.Logf("open period: %d pages, each marked %q", len(pages), mark)
	buf.Reset()
	if err := open.XLSX(&buf, "DPUPR", "id"); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range wb.GetSheetList() {
		if a1, _ := wb.GetCellValue(sh, "A1"); !strings.HasSuffix(a1, mark) {
			t.Errorf("workbook sheet %q title %q is not marked", sh, a1)
		}
	}

	buf.Reset()
	if err := closed.PDF(&buf, "DPUPR", "id"); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if strings.Contains(text, "SEMENTARA") || strings.Contains(text, "PROVISIONAL") {
		t.Error("a closed period's packet is marked provisional")
	}
	if !strings.Contains(text, "NIP 19700817 199503 2 004") {
		t.Error("the closed period's letter lacks the signatory's NIP")
	}
}
