package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/analysis"
)

// TestCrossRefExport writes a shown and a suppressed side and reads both
// formats back: the shown figures are numbers, the suppressed ones empty
// cells with no gap, the gap rule is named on its row.
func TestCrossRefExport(t *testing.T) {
	mcp := 92.0
	score, se, n := 64.0, 2.0, 40
	x := &analysis.CrossRef{Year: 2026, High: 85, Rise: 5, Waspada: 73, Areas: []analysis.AreaCross{{
		Area: analysis.AreaPengadaan, Elements: []string{"pbj"},
		City: analysis.CrossSide{MCP: &mcp, Status: analysis.StatusGap, Elements: []analysis.LivedElement{{Element: "pbj", Type: analysis.Internal,
			Figure: analysis.Figure{Score: &score, SE: &se, N: &n, CI: &[2]float64{60, 68}}}},
			Gaps: []analysis.Gap{{Rule: analysis.GapHighPaper, Element: "pbj", Type: analysis.Internal, MCP: mcp, Score: score, CIHigh: 68}}},
		Units: []analysis.CrossSide{{Unit: "KEC", Name: "Kecamatan", MCP: &mcp, Status: analysis.StatusHidden,
			Elements: []analysis.LivedElement{{Element: "pbj", Type: analysis.Internal, Figure: analysis.Figure{Suppressed: true, Suppression: analysis.SuppressMinGroup}}}}},
	}}}
	text := Text{Sheet: "MCP", NotesSheet: "Catatan"}
	for _, format := range []string{CSV, XLSX} {
		var buf bytes.Buffer
		if err := CrossRef(&buf, format, x, text, []string{"Catatan uji"}); err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		if format == CSV {
			r := csv.NewReader(&buf)
			r.Comment = '#'
			var err error
			if rows, err = r.ReadAll(); err != nil {
				t.Fatal(err)
			}
		} else {
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if rows, err = f.GetRows("MCP", excelize.Options{RawCellValue: true}); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
		if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(CrossHeader(), ",") {
			t.Fatalf("%s rows %v", format, rows)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		get := func(r []string, c string) string {
			if col[c] < len(r) {
				return r[col[c]]
			}
			return ""
		}
		city, unit := rows[1], rows[2]
		num := func(r []string, c string) float64 { v, _ := strconv.ParseFloat(get(r, c), 64); return v }
		if num(city, "score") != 64 || num(city, "ci_high") != 68 || get(city, "gap_rules") != analysis.GapHighPaper || num(city, "mcp") != 92 {
			t.Errorf("%s city row %v", format, city)
		}
		for _, c := range []string{"score", "ci_low", "ci_high", "n", "gap_rules"} {
			if get(unit, c) != "" {
				t.Errorf("%s: suppressed unit row has %s = %q", format, c, get(unit, c))
			}
		}
		if get(unit, "status") != analysis.StatusHidden || get(unit, "unit") != "KEC" {
			t.Errorf("%s unit row %v", format, unit)
		}
	}
}
