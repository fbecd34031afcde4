package packet

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/analysis"
)

// TestPacketCrossRef: DPUPR's packet (the demo's paper-only gap) shows its
// MCP area, the MCP score, its lived pbj score and the gap in plain words;
// KESBANGPOL, given a high MCP score in an area whose lived figures rest on
// fewer than k answers, shows the area as suppressed, with no figure and no gap.
func TestPacketCrossRef(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	if _, err := st.ImportMCPCSV(ctx, "extra.csv", strings.NewReader("year,area,unit,score\n2026,apip,KESBANGPOL,99\n")); err != nil {
		t.Fatal(err)
	}
	src := demoSource(t, st)
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			tr := src.Bundle.For(lang)
			text := flat(pdfText(t, buildPDF(t, src, "DPUPR", lang)))
			var side analysis.CrossSide
			for _, a := range src.Cross.Areas {
				for _, sd := range a.Units {
					if a.Area == analysis.AreaPengadaan && sd.Unit == "DPUPR" {
						side = sd
					}
				}
			}
			if side.Status != analysis.StatusGap || side.Elements[0].Figure.Score == nil {
				t.Fatalf("demo DPUPR pengadaan: %+v", side)
			}
			gapWords := strings.Fields(tr.T("mcp.gap.high_paper_low_lived"))
			for _, want := range []string{tr.T("mcp.packet.title"), tr.T("mcp.area.pengadaan"), tr.Num(*side.MCP, 2),
				tr.Num(*side.Elements[0].Figure.Score, 2), strings.Fields(tr.T("mcp.status.gap"))[0], strings.Join(gapWords[len(gapWords)-6:], " ")} {
				if !strings.Contains(text, want) {
					t.Errorf("DPUPR packet lacks %q", want)
				}
			}
			text = flat(pdfText(t, buildPDF(t, src, "KESBANGPOL", lang)))
			for _, want := range []string{tr.T("mcp.area.apip"), tr.T("mcp.status.suppressed"), "99"} {
				if !strings.Contains(text, want) {
					t.Errorf("KESBANGPOL packet lacks %q", want)
				}
			}
			if strings.Contains(text, strings.Join(gapWords[len(gapWords)-6:], " ")) {
				t.Error("KESBANGPOL packet shows a gap from figures under k")
			}
		})
	}
	// The workbook's MCP-SPI sheet holds DPUPR's scores as numbers.
	var buf bytes.Buffer
	if err := src.Build(&buf, "DPUPR", "id"); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(unzip(t, buf.Bytes())[src.Bundle.For("id").T("packet.file.base", "Unit", "DPUPR")+".xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("MCP-SPI", excelize.Options{RawCellValue: true})
	if err != nil || !strings.Contains(fmt.Sprint(rows), "94") || !strings.Contains(fmt.Sprint(rows), "77.1") {
		t.Errorf("MCP-SPI sheet: %v %v", rows, err)
	}
	// The section's cells for KESBANGPOL carry no number from a cell under k.
	tb := src.crossRef("KESBANGPOL", src.fmt(src.Bundle.For("id")))
	for _, row := range tb.rows {
		for _, c := range row[3:] {
			if c.num != nil {
				t.Errorf("KESBANGPOL row %v prints a figure under k", row)
			}
		}
	}
}

func buildPDF(t *testing.T, src *Source, unit, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := src.Build(&buf, unit, lang); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	pdf := files[src.Bundle.For(lang).T("packet.file.base", "Unit", unit)+".pdf"]
	if pdf == nil {
		t.Fatalf("no PDF in %s's packet", unit)
	}
	return pdf
}

// flat joins pdftotext's wrapped lines so a sentence reads as one.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
