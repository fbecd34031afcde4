package export

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/analysis"
)

var resultsOpt = ResultsOptions{Text: Text{Sheet: "Hasil", NotesSheet: "Catatan", ElementsSheet: "Elemen"}, CityPooled: "Kota (gabungan)",
	CityUnitMean: "Kota (rata-rata unit)", Notes: []string{"Pengaturan metode: kpk2025", "Responden bertanda: dikecualikan"}}

// readResults exports res in format and reads the unit table back as strings.
func readResults(t *testing.T, format string, res *analysis.Results) (rows [][]string, notes []string, raw []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Results(&buf, format, res, resultsOpt); err != nil {
		t.Fatal(err)
	}
	raw = bytes.Clone(buf.Bytes())
	tables, notes, _ := readBack(t, format, raw, resultsOpt.NotesSheet)
	switch format {
	case CSV:
		rows = tables["data"]
	case ZIP:
		rows = tables["results.csv"]
	case XLSX:
		rows = tables[resultsOpt.Sheet]
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 3 || got[0] != "Hasil" || got[1] != "Elemen" || got[2] != "Catatan" {
			t.Fatalf("sheets %v", got)
		}
		// No cell of the workbook is a formula.
		for i := range rows {
			for j := range rows[i] {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula("Hasil", cell); fm != "" {
					t.Errorf("cell %s holds formula %q", cell, fm)
				}
			}
		}
	}
	return rows, notes, raw
}

func TestResultsExportReadsBack(t *testing.T) {
	st, _ := demoStore(t)
	res := compute(t, st).Results
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			rows, notes, _ := readResults(t, format, res)
			if got, want := strings.Join(rows[0], ","), strings.Join(ResultsHeader(), ","); got != want {
				t.Fatalf("header %s, want %s", got, want)
			}
			if len(rows) != 1+len(res.Units)+2 {
				t.Fatalf("%d rows for %d units", len(rows), len(res.Units))
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			tol := 5e-5 // CSV cells hold four decimals
			cell := func(row []string, name string) string {
				if i := col[name]; i < len(row) {
					return row[i]
				}
				return "" // excelize drops trailing empty cells
			}
			check := func(what, got string, want *float64) {
				t.Helper()
				if want == nil {
					if got != "" {
						t.Errorf("%s: suppressed figure printed as %q", what, got)
					}
					return
				}
				v, err := strconv.ParseFloat(got, 64)
				if format == XLSX { // Excel's 15 significant digits, rounded (not cut)
					w := strconv.FormatFloat(*want, 'g', 15, 64)
					if err != nil || strconv.FormatFloat(v, 'g', 15, 64) != w {
						t.Errorf("%s: %q, want %s (15 digits of %v)", what, got, w, *want)
					}
					return
				}
				if err != nil || math.Abs(v-*want) > tol {
					t.Errorf("%s: %q, want %v", what, got, *want)
				}
			}
			sawEvil, sawSuppressed := false, false
			for i, u := range res.Units {
				row := rows[i+1]
				if cell(row, "level") != LevelUnit || cell(row, "unit") != u.Code {
					t.Fatalf("row %d: %v, want unit %s", i+1, row[:3], u.Code)
				}
				check(u.Code+" index", cell(row, "index"), u.Index)
				check(u.Code+" margin", cell(row, "margin"), u.Margin)
				if u.CI != nil {
					check(u.Code+" ci_low", cell(row, "ci_low"), &u.CI[0])
				} else if cell(row, "ci_low") != "" {
					t.Errorf("%s: suppressed CI printed", u.Code)
				}
				for _, typ := range analysis.Types() {
					if c := u.Components[typ]; c != nil {
						check(u.Code+" "+typ, cell(row, typ+"_score"), c.Score)
					}
				}
				if cell(row, "category") != u.Category {
					t.Errorf("%s: category %q, want %q", u.Code, cell(row, "category"), u.Category)
				}
				if u.Suppressed {
					sawSuppressed = true
					if cell(row, "index") != "" || cell(row, "category") != "" {
						t.Errorf("%s: suppressed index or category printed: %v", u.Code, row)
					}
				}
				if u.Name == evil {
					sawEvil = true
					if got := cell(row, "name"); got != "'"+evil {
						t.Errorf("formula cell not neutralised: %q", got)
					}
				}
			}
			if !sawEvil || !sawSuppressed {
				t.Errorf("fixture lacks the evil name (%v) or a suppressed unit (%v)", sawEvil, sawSuppressed)
			}
			pooled := rows[len(res.Units)+1]
			if cell(pooled, "level") != LevelCityPooled || cell(pooled, "name") != resultsOpt.CityPooled {
				t.Errorf("pooled city row: %v", pooled)
			}
			check("city pooled", cell(pooled, "index"), res.City.Pooled.Index)
			check("city mean", cell(rows[len(rows)-1], "index"), res.City.UnitMean.Index)
			if format == CSV && notes == nil {
				return // a plain CSV holds data only
			}
			if strings.Join(notes, "|") != strings.Join(resultsOpt.Notes, "|") {
				t.Errorf("notes %q", notes)
			}
		})
	}
}

func TestResultsExportBadFormat(t *testing.T) {
	if err := Results(&bytes.Buffer{}, "pdf", &analysis.Results{}, resultsOpt); err == nil {
		t.Error("pdf accepted")
	}
}
