package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/survey"
)

// unitData is a unit's result page.
type unitData struct {
	dashHead
	Code, Name, Parent string
	Index, Margin      fig
	CI                 string
	Category           badge
	Partial            bool
	Suppressed         bool
	Review             reviewView
	Exclusions         []string // the recorded decisions that leave responses out here
	Flags              []string
	Components         []componentRow
	Elements           []elementTable
	Risks              []riskRow
	HotSpots           []hotSpotRow
	Trend              []trendRow
	Reliability        []reliabilityRow
	Correction         correctionView
	ProfilePNG         string
	TrendPNG           string
}

type componentRow struct {
	Type, Weight, N, Received, Required, Population string
	Score                                           fig
	CI                                              string
	Flags                                           []string
}

type elementTable struct {
	Type string
	Rows []elementRow
}

type elementRow struct {
	Code, Name  string
	Score, City fig
	CI, N       string
	Alpha       string
	Below       bool // the unit's CI lies wholly below the city
}

func (s *Server) dashUnit(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	u, err := unitResult(r.Results, c.Param("unit"))
	if err != nil {
		s.fail(c, err)
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	res, inst, lang := r.Results, r.Period.Instrument, tr.Lang()
	d := unitData{dashHead: h, Code: u.Code, Name: u.Name, Parent: u.Parent, Index: indexFigure(tr, u),
		Margin: figure(tr, u.Margin, 2, ""), CI: ciText(tr, u.CI), Category: category(tr, res.Settings, u.Category),
		Partial: u.Partial, Suppressed: u.Suppressed, Flags: flagNames(tr, u.Flags), Review: review(tr, u),
		Exclusions: exclusionNotes(tr, u.Exclusions)}
	base := "/charts/" + r.Period.Code + "/units/" + u.Code
	d.ProfilePNG = base + "/profile.png" + f.keep("type", f.typeOr(analysis.Internal))
	d.TrendPNG = base + "/trend.png" + h.Keep
	num := func(v int) string { return tr.Num(float64(v), 0) }
	for _, t := range analysis.Types() {
		comp, rc := u.Components[t], u.ResponseCounts[t]
		if comp == nil && rc.Received == 0 {
			continue
		}
		row := componentRow{Type: typeName(tr, t), Received: num(rc.Received), Required: "—", Population: "—", Weight: "—", N: "—"}
		if rc.Required != nil {
			row.Required = num(*rc.Required)
		}
		if rc.Population != nil {
			row.Population = num(*rc.Population)
		} else {
			row.Population = tr.T("cycle.population.unknown")
		}
		if comp == nil {
			row.Score = hidden(tr)
			d.Components = append(d.Components, row)
			continue
		}
		row.Score, row.CI = figure(tr, comp.Score, 2, comp.Suppression), ciText(tr, comp.CI)
		if comp.N != nil {
			row.N = num(*comp.N)
		}
		if comp.Weight > 0 {
			row.Weight = tr.Num(100*comp.Weight, 0) + "%"
		}
		row.Flags = flagNames(tr, comp.Flags)
		d.Components = append(d.Components, row)
		d.Elements = append(d.Elements, s.elementTable(tr, inst, lang, t, comp, res.City.Pooled.Components[t]))
	}
	d.Risks = riskRows(tr, inst, lang, u.RiskElements)
	d.HotSpots = hotSpotRows(tr, inst, lang, res.Settings.HotSpotShare, u.HotSpots)
	d.Reliability = reliabilityRows(tr, inst, lang, u)
	d.Correction = correctionOf(tr, u.Correction)
	tps, err := s.trendOf(c, r, u.Code, f.options())
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Trend = trendRows(tr, res.Settings, tps)
	s.render(c, http.StatusOK, "dash_unit", d)
}

// elementTable lists a type's element scores beside the city's.
func (s *Server) elementTable(tr translator, inst *survey.Instrument, lang, t string, comp, city *analysis.Component) elementTable {
	tbl := elementTable{Type: typeName(tr, t)}
	for _, code := range elementCodes(inst) {
		e := comp.Elements[code]
		if e == nil {
			continue // the type does not answer this element
		}
		row := elementRow{Code: code, Name: elementName(inst, lang, code), Score: figure(tr, e.Score, 2, e.Suppression),
			CI: ciText(tr, e.CI), N: "—", Alpha: "—", City: hidden(tr)}
		if e.N != nil {
			row.N = tr.Num(float64(*e.N), 0)
		}
		if e.Alpha != nil {
			row.Alpha = tr.Num(*e.Alpha, 2)
		}
		if city != nil {
			if ce := city.Elements[code]; ce != nil {
				row.City = figure(tr, ce.Score, 2, ce.Suppression)
				row.Below = e.CI != nil && ce.Score != nil && e.CI[1] < *ce.Score
			}
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	return tbl
}
