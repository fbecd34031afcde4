package packet

import (
	"strconv"
	"strings"

	"integritas/analysis"
	"integritas/export"
)

// crossRef is the MCP-against-SPI section: the MCP areas the unit is
// responsible for, the area's or the unit's MCP score, its PMPRB score, the
// mapped elements as the unit's respondents lived them, and each gap in
// plain words. Figures under k print the dash and never make a gap.
func (s *Source) crossRef(code string, f fmtr) table {
	t := f.t
	tb := table{sheet: "MCP-SPI", title: t.T("mcp.packet.title"), intro: t.T("mcp.packet.intro"),
		head: []string{t.T("mcp.col.area"), t.T("mcp.col.mcp"), t.T("mcp.col.pmprb"), t.T("mcp.col.element"), t.T("mcp.col.type"),
			t.T("mcp.col.score"), t.T("mcp.col.ci"), t.T("mcp.col.status")},
		widths: []float64{1.6, 0.6, 0.6, 1.3, 0.8, 0.7, 1.0, 1.4}, empty: t.T("mcp.unit.none")}
	x := s.Cross
	if x == nil {
		return tb
	}
	for _, a := range x.Areas {
		for _, sd := range a.Units {
			if sd.Unit != code {
				continue
			}
			tb.rows = append(tb.rows, crossRows(a, sd, f)...)
			names := make([]string, len(a.Elements))
			for i, e := range a.Elements {
				names[i] = f.element(e)
			}
			tb.notes = append(tb.notes, t.T("mcp.mapping")+": "+t.T("mcp.area."+a.Area)+" – "+strings.Join(names, ", "))
			for _, g := range sd.Gaps {
				tb.notes = append(tb.notes, export.GapText(t, x, a.Area, g, f.element))
			}
			if len(sd.Gaps) == 0 {
				tb.notes = append(tb.notes, t.T("mcp.area."+a.Area)+": "+t.T("mcp.status."+sd.Status))
			}
		}
	}
	if len(tb.rows) > 0 {
		tb.notes = append(tb.notes, t.T("mcp.rule", "High", t.Num(x.High, 0), "Waspada", t.Num(x.Waspada, 2), "Rise", t.Num(x.Rise, 0)),
			t.T("mcp.year")+": "+strconv.Itoa(x.Year), f.suppressedNote(s.Current.Results.Settings.MinGroup))
	}
	return tb
}

// crossRows are one area's rows for a unit, one per mapped element and type.
func crossRows(a analysis.AreaCross, sd analysis.CrossSide, f fmtr) [][]cell {
	status := f.t.T("mcp.status." + sd.Status)
	var rows [][]cell
	for _, le := range sd.Elements {
		fig := le.Figure
		rows = append(rows, []cell{txt(f.t.T("mcp.area." + a.Area)), f.score(sd.MCP), f.score(sd.PMPRB), txt(f.element(le.Element)),
			txt(f.typeName(le.Type)), f.score(fig.Score), f.ci(fig.CI, false), txt(status)})
	}
	if len(rows) == 0 {
		names := make([]string, len(a.Elements))
		for i, e := range a.Elements {
			names[i] = f.element(e)
		}
		rows = append(rows, []cell{txt(f.t.T("mcp.area." + a.Area)), f.score(sd.MCP), f.score(sd.PMPRB),
			txt(strings.Join(names, ", ")), txt(f.dash), txt(f.dash), txt(f.dash), txt(status)})
	}
	return rows
}
