package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
)

// overviewData is the period overview.
type overviewData struct {
	dashHead
	Pooled      cityIndex
	UnitMean    cityIndex
	Bands       []bandCount
	NoIndex     int // units whose index is suppressed
	Units       int
	Progress    []progressRow
	Quality     qualityView
	OwnUnits    []unitLink   // a viewer's units
	Reviews     []reviewLink // units under review or withheld, with the reason
	RankingPNG  string
	ResponsePNG string
	HeatmapPNG  string
}

// reviewLink is a unit with its survey-integrity status.
type reviewLink struct {
	Code, Name string
	Status     reviewView
}

type cityIndex struct {
	Index, Margin fig
	CI            string
	Category      badge
	Partial       bool
	Units         int
}

type bandCount struct {
	Category badge
	Units    int
}

type progressRow struct {
	Type     string
	Received string
	Included string
	Required string // sum of the required samples where known
	Met      string // units at or above their required sample
	Of       string // units with a required sample
	Percent  int    // received / required, capped at 100, for the bar
	Unknown  int    // units of this type whose population is unknown (no target)
}

type qualityView struct {
	Responses, Flagged, Excluded, ByDecisionIn, ByDecisionOut string
	PaperIncomplete                                           string // paper responses kept with a skipped required item
	ByFlag                                                    []setting
	Clusters                                                  int
}

type unitLink struct{ Code, Name string }

func (s *Server) dashOverview(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	res := r.Results
	st := res.Settings
	pooled := res.City.Pooled
	d := overviewData{dashHead: h, Units: len(res.Units)}
	d.Pooled = cityIndex{Index: figure(tr, pooled.Index, 2, ""), Margin: figure(tr, pooled.Margin, 2, ""), CI: ciText(tr, pooled.CI),
		Category: category(tr, st, pooled.Category), Partial: pooled.Partial}
	mean := res.City.UnitMean
	d.UnitMean = cityIndex{Index: figure(tr, mean.Index, 2, ""), Category: category(tr, st, mean.Category), Units: mean.Units}
	base := "/charts/" + r.Period.Code
	d.RankingPNG, d.ResponsePNG, d.HeatmapPNG = base+"/ranking.png"+h.Keep, base+"/response-rate.png"+h.Keep, base+"/heatmap.png"+h.Keep
	for i := range res.Units {
		u := &res.Units[i]
		if (u.Review.UnderReview || u.Review.Withheld) && (h.Wide || s.unitAllowed(c, u.Code)) {
			d.Reviews = append(d.Reviews, reviewLink{u.Code, u.Name, review(tr, u)})
		}
	}
	if !h.Wide {
		for _, u := range res.Units {
			if s.unitAllowed(c, u.Code) {
				d.OwnUnits = append(d.OwnUnits, unitLink{u.Code, u.Name})
			}
		}
		s.render(c, http.StatusOK, "dash_overview", d)
		return
	}
	counts := map[string]int{}
	for _, u := range res.Units {
		if u.Index == nil {
			d.NoIndex++
			continue
		}
		counts[u.Category]++
	}
	for i := len(st.Categories.Bands) - 1; i >= 0; i-- {
		b := st.Categories.Bands[i]
		d.Bands = append(d.Bands, bandCount{category(tr, st, b.Slug), counts[b.Slug]})
	}
	d.Progress = progress(tr, res)
	d.Quality = quality(tr, res.City.Quality)
	s.render(c, http.StatusOK, "dash_overview", d)
}

// progress sums each type's responses against the required samples.
func progress(tr translator, res *analysis.Results) []progressRow {
	var out []progressRow
	for _, t := range analysis.Types() {
		var recv, incl, req, met, of, toward, unknown int
		for _, u := range res.Units {
			rc, ok := u.ResponseCounts[t]
			if !ok {
				continue
			}
			recv += rc.Received
			incl += rc.Included
			if rc.Required == nil {
				unknown++
				continue
			}
			// Progress counts only units with a known target, each up to it.
			of++
			req += *rc.Required
			toward += min(rc.Received, *rc.Required)
			if rc.Received >= *rc.Required {
				met++
			}
		}
		if recv == 0 && of == 0 {
			continue
		}
		row := progressRow{Type: typeName(tr, t), Received: tr.Num(float64(recv), 0), Included: tr.Num(float64(incl), 0),
			Met: tr.Num(float64(met), 0), Of: tr.Num(float64(of), 0), Required: "—", Unknown: unknown}
		if req > 0 {
			row.Required = tr.Num(float64(req), 0)
			row.Percent = min(100, toward*100/req)
		}
		out = append(out, row)
	}
	return out
}

// quality summarises the period's data-quality flags.
func quality(tr translator, q analysis.QualitySummary) qualityView {
	n := func(v int) string { return tr.Num(float64(v), 0) }
	v := qualityView{Responses: n(q.Responses), Flagged: n(q.Flagged), Excluded: n(q.Excluded),
		ByDecisionIn: n(q.IncludedByDecision), ByDecisionOut: n(q.ExcludedByDecision), PaperIncomplete: n(q.PaperIncomplete)}
	for _, code := range []string{analysis.FlagSpeeder, analysis.FlagStraightLine, analysis.FlagDuplicate, analysis.FlagCoached} {
		v.ByFlag = append(v.ByFlag, setting{Name: tr.T("dash.quality.flag." + code), Value: n(q.ByFlag[code])})
	}
	for _, cl := range q.Clusters {
		if cl.Flagged {
			v.Clusters++
		}
	}
	return v
}
