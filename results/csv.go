package results

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"integritas/analysis"
)

// CSVHeader is the results table's header: one row per unit, then the city.
func CSVHeader() []string {
	h := []string{"unit", "name", "parent", "index", "se", "ci_low", "ci_high", "margin", "category", "partial", "suppressed", "correction", "flags"}
	for _, t := range analysis.Types() {
		h = append(h, t+"_score", t+"_se", t+"_n")
	}
	return h
}

// WriteCSV writes one row per unit with its index and components; suppressed
// figures are empty cells, never zero. Text cells are neutralised so that a
// spreadsheet never runs them as formulas.
func WriteCSV(w io.Writer, res *analysis.Results) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader())
	for _, u := range res.Units {
		row := []string{SafeCell(u.Code), SafeCell(u.Name), SafeCell(u.Parent), num(u.Index), num(u.SE), ciEnd(u.CI, 0), ciEnd(u.CI, 1),
			num(u.Margin), u.Category, strconv.FormatBool(u.Partial), strconv.FormatBool(u.Suppressed),
			strconv.FormatFloat(u.Correction.Points, 'f', 2, 64), strings.Join(u.Flags, ";")}
		for _, t := range analysis.Types() {
			c := u.Components[t]
			if c == nil {
				row = append(row, "", "", "")
				continue
			}
			n := ""
			if c.N != nil {
				n = strconv.Itoa(*c.N)
			}
			row = append(row, num(c.Score), num(c.SE), n)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 4, 64)
}

func ciEnd(ci *[2]float64, i int) string {
	if ci == nil {
		return ""
	}
	return strconv.FormatFloat(ci[i], 'f', 4, 64)
}

// SafeCell neutralises a text cell that a spreadsheet would read as a
// formula (=, +, -, @, tab, carriage return) by prefixing an apostrophe.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
