package export

import (
	"io"
	"strings"

	"integritas/analysis"
	"integritas/locale"
)

// CrossHeader is the cross-reference table's header: one row per area, side
// (the city or a responsible unit), mapped element and respondent type.
func CrossHeader() []string {
	return []string{"year", "area", "elements", "side", "unit", "unit_name", "mcp", "mcp_own_unit", "mcp_two_years_ago",
		"pmprb", "element", "type", "score", "ci_low", "ci_high", "n", "change", "change_p", "status", "gap_rules"}
}

// CrossRef writes the MCP-against-SPI cross-reference. Lived figures under k
// are empty cells, and their rows can never carry a gap.
func CrossRef(w io.Writer, format string, x *analysis.CrossRef, t Text, notes []string) error {
	s, err := newSink(format, w, t)
	if err != nil {
		return err
	}
	if err := s.table(table{file: "crossref.csv", sheet: "MCP", cols: CrossHeader()}); err != nil {
		return err
	}
	if x != nil {
		for _, a := range x.Areas {
			sides := append([]analysis.CrossSide{a.City}, a.Units...)
			for i, sd := range sides {
				level := LevelUnit
				if i == 0 {
					level = "city"
				}
				for _, le := range sd.Elements {
					if err := s.row(crossCells(x.Year, a, level, sd, le)); err != nil {
						return err
					}
				}
			}
		}
	}
	if len(notes) > 0 {
		if err := s.notes(notes); err != nil {
			return err
		}
	}
	return s.close()
}

func crossCells(year int, a analysis.AreaCross, level string, sd analysis.CrossSide, le analysis.LivedElement) []any {
	var score, lo, hi, n, diff, p any
	if f := le.Figure; !f.Suppressed && f.Score != nil {
		score, n = *f.Score, *f.N
		if f.CI != nil {
			lo, hi = f.CI[0], f.CI[1]
		}
	}
	if ch := le.Change; ch != nil && ch.Diff != nil {
		diff, p = *ch.Diff, fnum(ch.P)
	}
	var rules []string
	for _, g := range sd.Gaps {
		if g.Element == le.Element && g.Type == le.Type {
			rules = append(rules, g.Rule)
		}
	}
	return []any{year, a.Area, strings.Join(a.Elements, ";"), level, sd.Unit, sd.Name, fnum(sd.MCP), sd.MCPUnit,
		fnum(sd.MCPTwoAgo), fnum(sd.PMPRB), le.Element, le.Type, score, lo, hi, n, diff, p, sd.Status, strings.Join(rules, ";")}
}

// CrossNotes are the notes of a cross-reference export: the rule, the
// mapping and what an empty cell means.
func CrossNotes(tr locale.Translator, period string, x *analysis.CrossRef, s analysis.Settings) []string {
	out := []string{tr.T("export.note.period", "Period", period), tr.T("export.note.suppressed", "K", s.MinGroup)}
	if x != nil {
		out = append(out, tr.T("mcp.rule", "High", tr.Num(x.High, 0), "Waspada", tr.Num(x.Waspada, 2), "Rise", tr.Num(x.Rise, 0)))
	}
	return append(out, MappingLines(tr, s, nil)...)
}

// MappingLines describe the period's MCP mapping, one line per area:
// "Pengadaan barang dan jasa → pbj (units: ULP)". elementName may be nil.
func MappingLines(tr locale.Translator, s analysis.Settings, elementName func(string) string) []string {
	var out []string
	for _, area := range analysis.MCPAreas() {
		m, ok := s.MCP.Areas[area]
		if !ok || len(m.Elements) == 0 {
			continue
		}
		els := make([]string, len(m.Elements))
		for i, e := range m.Elements {
			els[i] = e
			if elementName != nil {
				els[i] = elementName(e)
			}
		}
		line := tr.T("mcp.area."+area) + " → " + strings.Join(els, ", ")
		if len(m.Units) > 0 {
			line += " (" + tr.T("mcp.mapping.units") + ": " + strings.Join(m.Units, ", ") + ")"
		}
		out = append(out, line)
	}
	return out
}

// GapText explains a gap in plain words for the unit that has to act on it.
func GapText(tr locale.Translator, x *analysis.CrossRef, area string, g analysis.Gap, elementName func(string) string) string {
	el := g.Element
	if elementName != nil {
		el = elementName(g.Element)
	}
	args := []any{"Area", tr.T("mcp.area." + area), "MCP", tr.Num(g.MCP, 2), "Element", el,
		"Type", tr.T("dash.type." + g.Type), "Score", tr.Num(g.Score, 2), "High", tr.Num(g.CIHigh, 2),
		"Waspada", tr.Num(x.Waspada, 2), "Top", tr.Num(x.High, 0)}
	if g.Diff != nil && g.P != nil {
		args = append(args, "Fall", tr.Num(-*g.Diff, 2), "P", tr.Num(*g.P, 3))
	}
	return tr.T("mcp.gap."+g.Rule, args...)
}
