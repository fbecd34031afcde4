package packet

import (
	"bytes"
	"context"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/analysis"
	"integritas/export"
	"integritas/internal/demo"
)

func TestPacketContents(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			tr := src.Bundle.For(lang)
			var buf bytes.Buffer
			if err := src.Build(&buf, "DPUPR", lang); err != nil {
				t.Fatal(err)
			}
			files := unzip(t, buf.Bytes())
			base := tr.T("packet.file.base", "Unit", "DPUPR")
			pdf, xlsx := files[base+".pdf"], files[base+".xlsx"]
			if pdf == nil || xlsx == nil {
				t.Fatalf("packet lacks its PDF or XLSX: %v", keys(files))
			}
			pngs := 0
			for name, b := range files {
				if !strings.HasSuffix(name, ".png") {
					continue
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil || img.Bounds().Dx() < 400 {
					t.Errorf("%s: not a chart PNG (%v)", name, err)
				}
				pngs++
			}
			if pngs < 3 {
				t.Errorf("%d chart PNGs, want profile, distribution and trend", pngs)
			}
			u := unitResult(t, src, "DPUPR")
			text := pdfText(t, pdf)
			must := []string{
				"DPUPR", tr.Num(*u.Index, 2), category(u, lang), "Inspektorat Kota Sukamaju",
				tr.T("packet.letter.to_unit", "Unit", u.Name)[:20],
				tr.T("packet.risks.title"), tr.T("packet.hotspots.title"), tr.T("packet.response.title"),
				tr.T("packet.trend.title"), tr.T("packet.correction.title"), tr.T("packet.method.title"),
				tr.T("packet.followup.title"), tr.T("packet.last_followup.title"), "Publikasi RUP dan HPS",
				"SPI 2025", tr.T("review.settings.method"), "spi-method v2",
			}
			for _, re := range u.RiskElements {
				e, _ := src.Current.Period.Instrument.Element(re.Element)
				must = append(must, firstWords(e.Recommendation.In(lang), 4))
			}
			flat := flatten(text)
			for _, m := range must {
				if !strings.Contains(flat, flatten(m)) {
					t.Errorf("PDF text lacks %q", m)
				}
			}
			if len(u.RiskElements) == 0 {
				t.Fatal("fixture unit DPUPR should have risk elements")
			}
			f, err := excelize.OpenReader(bytes.NewReader(xlsx))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := len(f.GetSheetList()); got != 13 { // 12 + MCP-SPI (issue 19)
				t.Errorf("%d sheets, want 13", got)
			}
			rows, _ := f.GetRows(tr.T("packet.sheet.followup"))
			if len(rows) < HeaderRow+len(u.RiskElements) || rows[HeaderRow][0] != "DPUPR" {
				t.Errorf("action plan sheet rows: %q", rows)
			}
			idx, _ := f.GetCellValue(tr.T("packet.sheet.summary"), "B7")
			if idx == "" {
				t.Errorf("summary sheet has no index")
			}
		})
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func unitResult(t testing.TB, src *Source, code string) *analysis.UnitResult {
	t.Helper()
	u, _, err := src.unit(code)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func category(u *analysis.UnitResult, lang string) string {
	if lang == "en" {
		return u.CategoryLabel.EN
	}
	return u.CategoryLabel.ID
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(n, len(w))], " ")
}

var spaces = regexp.MustCompile(`\s+`)

// flatten joins wrapped lines so a phrase split by the layout still matches.
func flatten(s string) string { return spaces.ReplaceAllString(s, " ") }

// A suppressed component shows no figure: the score it would have had with
// a smaller minimum group appears in neither the PDF nor the XLSX.
func TestPacketSuppression(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	const code = "DISPORA" // 4 external respondents, under k = 5
	u := unitResult(t, src, code)
	ext := u.Components[analysis.External]
	if ext == nil || !ext.Suppressed {
		t.Fatalf("fixture: %s's external component should be suppressed", code)
	}
	// The figures that suppression hides, computed with k = 3.
	in := src.Current.Input
	in.Settings.MinGroup = 3
	open, err := analysis.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var hidden *analysis.UnitResult
	for i := range open.Units {
		if open.Units[i].Code == code {
			hidden = &open.Units[i]
		}
	}
	hc := hidden.Components[analysis.External]
	if hc == nil || hc.Score == nil {
		t.Fatal("fixture: with k = 3 the external component should be shown")
	}
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			tr := src.Bundle.For(lang)
			secret := []string{tr.Num(*hc.Score, 2), tr.Num(hc.CI[0], 2) + " – " + tr.Num(hc.CI[1], 2)}
			var buf bytes.Buffer
			if err := src.Build(&buf, code, lang); err != nil {
				t.Fatal(err)
			}
			files := unzip(t, buf.Bytes())
			base := tr.T("packet.file.base", "Unit", code)
			text := pdfText(t, files[base+".pdf"])
			for _, s := range secret {
				if strings.Contains(text, s) {
					t.Errorf("PDF shows the suppressed figure %q", s)
				}
			}
			extName := tr.T("packet.type.external")
			var row string
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), strings.Fields(extName)[0]) {
					row = l
					break
				}
			}
			if strings.Count(row, "—") < 3 {
				t.Errorf("PDF components row of the suppressed type shows figures: %q", row)
			}
			if !strings.Contains(flatten(text), flatten(tr.T("packet.suppressed_note", "K", 5))) {
				t.Error("PDF lacks the suppression note")
			}
			f, err := excelize.OpenReader(bytes.NewReader(files[base+".xlsx"]))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, _ := f.GetRows(tr.T("packet.sheet.components"))
			found := false
			for _, r := range rows {
				if len(r) > 3 && r[0] == extName {
					found = true
					if r[1] != "—" || r[2] != "—" || r[3] != "—" {
						t.Errorf("XLSX components row of the suppressed type: %q", r)
					}
				}
			}
			if !found {
				t.Error("XLSX has no row for the suppressed type")
			}
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					for _, c := range r {
						for _, s := range secret {
							if strings.Contains(c, s) {
								t.Errorf("XLSX sheet %q shows the suppressed figure %q in %q", sheet, s, c)
							}
						}
					}
				}
			}
		})
	}
}

// A unit name made of markup and a spreadsheet formula is inert everywhere.
func TestPacketInertUnitName(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	var buf bytes.Buffer
	if err := src.Build(&buf, "DINSOS", "id"); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	for name := range files {
		for _, part := range strings.Split(name, "/") {
			if part != SafeName(part) {
				t.Errorf("unsafe file name %q in the ZIP", name)
			}
		}
	}
	tr := src.Bundle.For("id")
	base := tr.T("packet.file.base", "Unit", "DINSOS")
	if text := pdfText(t, files[base+".pdf"]); !strings.Contains(flatten(text), flatten(evilName)) {
		t.Error("the PDF should print the name as plain text")
	}
	f, err := excelize.OpenReader(bytes.NewReader(files[base+".xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := 0
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for i, r := range rows {
			for j, c := range r {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s!%s holds a formula %q", sheet, ref, formula)
				}
				if strings.Contains(c, "cmd|") {
					seen++
					if c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@' {
						t.Errorf("%s!%s is not neutralised: %q", sheet, ref, c)
					}
				}
				if c != "" && c[0] == '=' {
					t.Errorf("%s!%s starts with '=': %q", sheet, ref, c)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("the unit name appears in no cell")
	}
	if export.SafeCell(evilName)[0] != '\'' {
		t.Error("SafeCell should neutralise the name")
	}
	_ = demo.Current
	_ = context.Background()
}
