package server

import (
	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/charts"
	"integritas/results"
)

// chartRanking ranks every unit's index with its 95 % CI over the category bands.
func chartRanking(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error) {
	return charts.Ranking(r.Results, charts.RankingOptions{Common: charts.Common{Format: chartFormat(tr)},
		Text: rankingText(tr, r.Results.Settings)})
}

// chartHeatmap shows units × elements of one respondent type (default internal).
func chartHeatmap(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error) {
	t := f.typeOr(analysis.Internal)
	return charts.Heatmap(r.Results, charts.HeatmapOptions{Common: charts.Common{Format: chartFormat(tr)},
		Text: heatmapText(tr, r.Results.Settings, r.Period.Instrument, t), Type: t, Elements: elementCodes(r.Period.Instrument)})
}

// chartResponse shows each unit's responses against its required sample.
func chartResponse(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error) {
	return charts.ResponseRate(r.Results, charts.ResponseOptions{Common: charts.Common{Format: chartFormat(tr)},
		Text: responseText(tr, f.Type), Type: f.Type})
}

// chartProfile shows a unit's element scores beside the city's.
func chartProfile(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error) {
	u, err := unitResult(r.Results, c.Param("unit"))
	if err != nil {
		return nil, err
	}
	t := f.typeOr(analysis.Internal)
	return charts.Profile(r.Results, charts.ProfileOptions{Common: charts.Common{Format: chartFormat(tr)},
		Text: profileText(tr, r.Results.Settings, r.Period.Instrument, t, u.Name), Unit: u.Code, Type: t,
		Elements: elementCodes(r.Period.Instrument)})
}

// chartTrend shows a unit's index and the city's over the periods that include it.
func (s *Server) chartTrend(c *gin.Context, r *results.Period, f dashFilter, tr translator) (*charts.Chart, error) {
	u, err := unitResult(r.Results, c.Param("unit"))
	if err != nil {
		return nil, err
	}
	tps, err := s.trendOf(c, r, u.Code, f.options())
	if err != nil {
		return nil, err
	}
	return charts.Trend(trendPoints(tps), charts.TrendOptions{Common: charts.Common{Format: chartFormat(tr)},
		Text: trendText(tr, r.Results.Settings, u.Name), Unit: u.Name, Settings: r.Results.Settings})
}
