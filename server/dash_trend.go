package server

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/charts"
	"integritas/results"
	"integritas/survey"
)

// trendPeriod is one period of a unit's trend with its change against the
// period before it (spi-method.md §4: Welch, via analysis.Compare).
type trendPeriod struct {
	Period *survey.Period
	Unit   *analysis.UnitResult
	City   *float64
	Change *analysis.Difference // nil for the first period
}

// trendOf reads, from the cache, every open or closed period up to and
// including the current one that includes the unit, oldest first.
func (s *Server) trendOf(c *gin.Context, cur *results.Period, unit string, opt results.Options) ([]trendPeriod, error) {
	ps, err := s.store.Periods(c.Request.Context())
	if err != nil {
		return nil, err
	}
	ps = slices.DeleteFunc(ps, func(p *survey.Period) bool { return p.Status == survey.StatusDraft })
	slices.SortFunc(ps, func(a, b *survey.Period) int {
		return cmp.Or(cmp.Compare(periodStart(a), periodStart(b)), cmp.Compare(a.ID, b.ID))
	})
	var out []trendPeriod
	var prev *analysis.Results
	for _, p := range ps {
		r := cur
		if p.ID != cur.Period.ID {
			if r, err = s.results.Get(c.Request.Context(), p.Code, opt); err != nil {
				return nil, err
			}
		}
		u, err := unitResult(r.Results, unit)
		if err != nil {
			if p.ID == cur.Period.ID {
				return nil, err
			}
			continue
		}
		tp := trendPeriod{Period: p, Unit: u, City: r.Results.City.Pooled.Index}
		if prev != nil {
			for _, ch := range analysis.Compare(prev, r.Results) {
				if ch.Unit == unit {
					tp.Change = &ch.Index
				}
			}
		}
		out = append(out, tp)
		prev = r.Results
		if p.ID == cur.Period.ID {
			break
		}
	}
	return out, nil
}

// periodStart orders periods: their opening date, else their creation.
func periodStart(p *survey.Period) string {
	if p.OpensOn != "" {
		return p.OpensOn
	}
	return p.CreatedAt.Format("2006-01-02")
}

// trendPoints turns a trend into the chart's points.
func trendPoints(tps []trendPeriod) []charts.TrendPoint {
	out := make([]charts.TrendPoint, 0, len(tps))
	for _, tp := range tps {
		pt := charts.TrendPoint{Period: tp.Period.Name, Unit: tp.Unit.IndexFigure, City: tp.City}
		n := 0
		for _, c := range tp.Unit.Components {
			if c != nil && !c.Suppressed && c.Weight > 0 && c.N != nil {
				n += *c.N
			}
		}
		if n > 0 && !tp.Unit.Suppressed {
			pt.N = &n
		}
		out = append(out, pt)
	}
	return out
}
