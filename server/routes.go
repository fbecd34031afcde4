package server

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/export"
)

// routes is the table of contents of the whole HTTP surface.
func (s *Server) routes(r *gin.Engine, assetFS fs.FS) {
	r.Use(s.recoverPanics, s.logRequests, securityHeaders, limitBody(maxBody), s.setLang)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })

	static, _ := fs.Sub(assetFS, "static")
	r.StaticFS("/static", http.FS(static))
	r.GET("/", s.home)
	r.GET("/healthz", s.healthz)

	// Respondents (issue: respondent flows).

	// Accounts, sessions and administration (issue: accounts and roles).

	// Analyst dashboard, charts and exports (issue: dashboard). Every unit's
	// figures: analysts, inspectors, admins; a unit's own page and charts:
	// also its viewers (dashUnitScope: another unit is 404); answers and
	// data-quality decisions: analysts and admins. Filters travel in the
	// query: ?type=, ?include_flagged=true|false, ranking ?category=&parent=&sort=.
	r.GET("/dash", s.dashRequire(dashUnitRead...), s.dashIndex)
	dash := r.Group("/dash/:period")
	dash.GET("", s.dashRequire(dashUnitRead...), s.dashOverview)
	dash.GET("/units", s.dashRequire(dashReaders...), s.dashUnits)
	dash.GET("/units/:unit", s.dashRequire(dashUnitRead...), s.dashUnitScope, s.dashUnit)
	dash.GET("/elements/:element", s.dashRequire(dashReaders...), s.dashElement)
	dash.GET("/heatmap", s.dashRequire(dashReaders...), s.dashHeatmap)
	dash.GET("/quality", s.dashRequire(dashReaders...), s.dashQuality)
	dash.POST("/quality/:response", s.dashRequire(dashAnalysts...), s.dashDecision)
	chart := r.Group("/charts/:period")
	for _, f := range []string{chartPNG, chartSVG} {
		chart.GET("/ranking."+f, s.dashRequire(dashReaders...), s.chart(chartRanking, f, false))
		chart.GET("/heatmap."+f, s.dashRequire(dashReaders...), s.chart(chartHeatmap, f, false))
		chart.GET("/response-rate."+f, s.dashRequire(dashReaders...), s.chart(chartResponse, f, false))
		chart.GET("/units/:unit/profile."+f, s.dashRequire(dashUnitRead...), s.dashUnitScope, s.chart(chartProfile, f, false))
		chart.GET("/units/:unit/trend."+f, s.dashRequire(dashUnitRead...), s.dashUnitScope, s.chart(s.chartTrend, f, true))
	}
	exp := r.Group("/export/:period")
	for _, f := range []string{export.CSV, export.XLSX} {
		exp.GET("/results."+f, s.dashRequire(dashReaders...), s.exportResults(f))
		exp.GET("/answers."+f, s.dashRequire(dashAnalysts...), s.exportAnswers(f))
	}

	// Inspectorate: rosters, invitations, corrections, packets (issue: inspectorate cycle).

	// JSON API (each area adds its endpoints here).
	// Results (issue: analysis engine): all units for analysts, inspectors
	// and admins; one unit also for its viewers (else 404).
	r.GET("/api/v1/periods/:period/results", s.dashRequire(dashReaders...), s.apiResults)
	r.GET("/api/v1/periods/:period/units/:unit", s.dashRequire(dashUnitRead...), s.dashUnitScope, s.apiUnitResults)
}
