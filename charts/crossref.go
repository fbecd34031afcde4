package charts

import (
	"errors"
	"strconv"

	"integritas/analysis"
)

// CrossRefOptions labels a paper-against-lived chart; Text.City names the
// MCP line and Lived the SPI line.
type CrossRefOptions struct {
	Common
	Text     TrendText
	Lived    string
	Settings analysis.Settings
}

// CrossRef draws one MCP area over the years: the lowest published SPI
// figure of its mapped elements (the unit line, over the SPI category
// bands) against the MCP score (the reference line). A year whose lived
// figures are all under k draws "—", never a number.
func CrossRef(history []analysis.AreaYear, opt CrossRefOptions) (*Chart, error) {
	if len(history) == 0 {
		return nil, errors.New("charts: crossref: no years")
	}
	pts := make([]TrendPoint, 0, len(history))
	for _, y := range history {
		p := TrendPoint{Period: strconv.Itoa(y.Year), City: y.MCP, Unit: analysis.IndexFigure{Suppressed: true}}
		if y.Lived != nil {
			v := *y.Lived
			p.Unit = analysis.IndexFigure{Index: &v}
		}
		pts = append(pts, p)
	}
	return Trend(pts, TrendOptions{Common: opt.Common, Text: opt.Text, Unit: opt.Lived, Settings: opt.Settings})
}
