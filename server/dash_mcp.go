package server

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/charts"
	"integritas/export"
	"integritas/results"
)

// crossPage is the paper-against-lived page, for the city or one unit.
type crossPage struct {
	dashHead
	Year     int
	Rule     string
	Mapping  []string
	Areas    []crossAreaView
	Unit     string // the unit's name on its own page
	UnitCode string
	Charts   bool // the caller may see the per-area charts
}

// dashCrossRef shows every MCP area beside its SPI elements, for the city
// and the responsible units (analysts, inspectors, admins).
func (s *Server) dashCrossRef(c *gin.Context) { s.crossPage(c, "") }

// dashUnitCrossRef shows the MCP areas one unit is responsible for, in the
// caller's unit scope (a viewer's own unit).
func (s *Server) dashUnitCrossRef(c *gin.Context) { s.crossPage(c, c.Param("unit")) }

func (s *Server) crossPage(c *gin.Context, unit string) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	pg := crossPage{UnitCode: unit}
	if unit != "" {
		u, err := unitResult(r.Results, unit)
		if err != nil {
			s.fail(c, err)
			return
		}
		pg.Unit = u.Name
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	x, err := s.crossRef(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	pg.dashHead, pg.Charts = h, h.Wide
	pg.Rule = tr.T("mcp.rule", "High", tr.Num(x.High, 0), "Waspada", tr.Num(x.Waspada, 2), "Rise", tr.Num(x.Rise, 0))
	pg.Year = x.Year
	name := func(e string) string { return elementName(r.Period.Instrument, tr.Lang(), e) }
	pg.Mapping = export.MappingLines(tr, r.Results.Settings, name)
	pg.Areas = crossAreas(tr, r, x, unit)
	s.render(c, http.StatusOK, "dash_mcp", pg)
}

// apiCrossRef answers the whole cross-reference as JSON.
func (s *Server) apiCrossRef(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	x, err := s.crossRef(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, x)
}

// apiUnitCrossRef answers the areas one unit is responsible for, with only
// that unit's side besides the city's, and only its PMPRB scores.
func (s *Server) apiUnitCrossRef(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	u, err := unitResult(r.Results, c.Param("unit"))
	if err != nil {
		s.fail(c, err)
		return
	}
	x, err := s.crossRef(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, unitCross(x, u.Code))
}

// unitCross narrows a cross-reference to one unit.
func unitCross(x *analysis.CrossRef, unit string) *analysis.CrossRef {
	out := *x
	out.Areas, out.PMPRB = []analysis.AreaCross{}, []analysis.PMPRBScore{}
	for _, a := range x.Areas {
		i := slices.IndexFunc(a.Units, func(sd analysis.CrossSide) bool { return sd.Unit == unit })
		if i < 0 {
			continue
		}
		a.Units = []analysis.CrossSide{a.Units[i]}
		out.Areas = append(out.Areas, a)
	}
	for _, p := range x.PMPRB {
		if p.Unit == unit {
			out.PMPRB = append(out.PMPRB, p)
		}
	}
	return &out
}

// exportCrossRef downloads the cross-reference as CSV or XLSX, audited.
func (s *Server) exportCrossRef(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, f, ok := s.loadResults(c)
		if !ok {
			return
		}
		x, err := s.crossRef(c, r, f)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := s.audit(c, "export.crossref", "period:"+r.Period.Code, "format "+format); err != nil {
			s.fail(c, err)
			return
		}
		tr := s.tr(c)
		attachment(c, r.Period.Code+"-mcp-spi."+format, format)
		text := export.Text{Sheet: tr.T("mcp.nav"), NotesSheet: tr.T("export.sheet.notes")}
		if err := export.CrossRef(c.Writer, format, x, text, export.CrossNotes(tr, r.Period.Name, x, r.Results.Settings)); err != nil {
			s.log.Error("export crossref", "route", c.FullPath(), "err", err)
		}
	}
}

// chartCrossRef draws one area's paper and lived scores over the years.
func (s *Server) chartCrossRef(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, f, ok := s.loadResults(c)
		if !ok {
			return
		}
		x, err := s.crossRef(c, r, f)
		if err != nil {
			s.fail(c, err)
			return
		}
		i := slices.IndexFunc(x.Areas, func(a analysis.AreaCross) bool { return a.Area == c.Param("area") })
		if i < 0 {
			s.fail(c, fmt.Errorf("server: MCP area %q: %w", c.Param("area"), errNotFound))
			return
		}
		ch, err := crossChart(s.tr(c), r, x.Areas[i])
		if err != nil {
			s.fail(c, fmt.Errorf("server: chart: %v: %w", err, errNotFound))
			return
		}
		c.Header("Cache-Control", "private, no-store")
		ctype := "image/png"
		if format == chartSVG {
			ctype = "image/svg+xml"
			c.Status(http.StatusOK)
			c.Header("Content-Type", ctype)
			if err := ch.SVG(c.Writer); err != nil {
				s.log.Error("chart crossref", "err", err)
			}
			return
		}
		c.Status(http.StatusOK)
		c.Header("Content-Type", ctype)
		if err := ch.PNG(c.Writer); err != nil {
			s.log.Error("chart crossref", "err", err)
		}
	}
}

// crossChart is the chart of one area, in the reader's language.
func crossChart(tr translator, r *results.Period, a analysis.AreaCross) (*charts.Chart, error) {
	t := trendText(tr, r.Results.Settings, "")
	t.Title = tr.T("mcp.chart.title") + ": " + tr.T("mcp.area."+a.Area)
	t.Periods, t.City = tr.T("mcp.chart.year"), tr.T("mcp.chart.paper")
	return charts.CrossRef(a.History, charts.CrossRefOptions{Common: charts.Common{Format: chartFormat(tr)}, Text: t,
		Lived: tr.T("mcp.chart.lived"), Settings: r.Results.Settings})
}
