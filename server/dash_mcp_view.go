package server

import (
	"context"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/export"
	"integritas/results"
)

// crossAreaView is one MCP area as the page prints it.
type crossAreaView struct {
	Code, Name, Elements string
	Sides                []crossSideView
}

// crossSideView is the city or a responsible unit within an area.
type crossSideView struct {
	Unit, Name          string
	City                bool
	MCP, MCPAgo, PMPRB  string
	Own                 bool // the MCP score is the unit's own
	Rows                []crossRowView
	Status, StatusLabel string
	Gaps                []string // plain-language explanations
}

// crossRowView is one mapped element for one respondent type; a suppressed
// figure carries its reason and no number.
type crossRowView struct {
	Element, Type string
	Score         fig
	CI, N, Change string
}

// crossRef computes the period's cross-reference, reading earlier periods
// through the results cache with the same filters.
func (s *Server) crossRef(c *gin.Context, r *results.Period, f dashFilter) (*analysis.CrossRef, error) {
	get := func(ctx context.Context, code string) (*results.Period, error) {
		return s.results.Get(ctx, code, f.options())
	}
	return results.CrossRef(c.Request.Context(), s.store, r, get)
}

// crossAreas turns the cross-reference into page rows; unit, when set,
// keeps only the areas that unit is responsible for, and only its side
// besides the city's.
func crossAreas(tr translator, r *results.Period, x *analysis.CrossRef, unit string) []crossAreaView {
	inst, lang := r.Period.Instrument, tr.Lang()
	name := func(e string) string { return elementName(inst, lang, e) }
	var out []crossAreaView
	for _, a := range x.Areas {
		els := ""
		for i, e := range a.Elements {
			if i > 0 {
				els += ", "
			}
			els += name(e)
		}
		av := crossAreaView{Code: a.Area, Name: tr.T("mcp.area." + a.Area), Elements: els}
		city := crossSide(tr, x, a.Area, a.City, name)
		city.City, city.Name = true, tr.T("mcp.city")
		av.Sides = append(av.Sides, city)
		for _, sd := range a.Units {
			if unit == "" || sd.Unit == unit {
				av.Sides = append(av.Sides, crossSide(tr, x, a.Area, sd, name))
			}
		}
		if unit != "" && len(av.Sides) == 1 {
			continue
		}
		out = append(out, av)
	}
	return out
}

func crossSide(tr translator, x *analysis.CrossRef, area string, sd analysis.CrossSide, name func(string) string) crossSideView {
	num := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return tr.Num(*p, 2)
	}
	v := crossSideView{Unit: sd.Unit, Name: sd.Name, MCP: num(sd.MCP), MCPAgo: num(sd.MCPTwoAgo), PMPRB: num(sd.PMPRB),
		Own: sd.MCPUnit, Status: sd.Status, StatusLabel: tr.T("mcp.status." + sd.Status)}
	for _, le := range sd.Elements {
		row := crossRowView{Element: name(le.Element), Type: typeName(tr, le.Type), Score: figure(tr, le.Figure.Score, 2, le.Figure.Suppression),
			CI: ciText(tr, le.Figure.CI)}
		if le.Figure.N != nil {
			row.N = tr.Num(float64(*le.Figure.N), 0)
		}
		if ch := le.Change; ch != nil && ch.Diff != nil {
			row.Change = tr.Num(*ch.Diff, 2)
			if ch.P != nil {
				row.Change += " (p " + tr.Num(*ch.P, 3) + ")"
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if len(v.Rows) == 0 { // no mapped element asked in this unit: one row says so
		v.Rows = append(v.Rows, crossRowView{Element: "—", Score: hidden(tr)})
	}
	for _, g := range sd.Gaps {
		v.Gaps = append(v.Gaps, export.GapText(tr, x, area, g, name))
	}
	return v
}
