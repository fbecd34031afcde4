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
	r.Use(s.observeRequests, s.authenticate) // metrics by route; the signed-in user (see authz.go)
	r.Use(s.validText)                       // staff forms: no invalid UTF-8 or NUL in any field
	r.Use(s.refuseWritesWhenCorrupt)         // a malformed database file takes no more writes (storage_fault.go)
	r.Use(s.hsts, s.proxyWarning)            // HSTS when serving TLS; warn of a proxy not trusted (transport.go)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })

	static, _ := fs.Sub(assetFS, "static")
	r.StaticFS("/static", http.FS(static))
	r.GET("/", s.home)
	r.GET("/healthz", s.healthz)

	// Respondents (issue: respondent flows). Token pages log only their
	// route pattern; answers are posted in bounded bodies.
	r.GET("/s/:token", s.inviteForm)
	r.POST("/s/:token", limitBody(respondBody), s.inviteSubmit)
	r.GET("/r/:period/:unit", s.openForm)
	r.POST("/r/:period/:unit", limitBody(respondBody), s.openSubmit)
	r.GET("/r/:period/:unit/qr.png", s.openQR)
	r.GET("/thanks", s.thanks)

	// Accounts, sessions and administration (issue: accounts and roles).
	// Who may do what is declared here and nowhere else: see authz.go.
	r.GET("/login", s.loginPage)
	r.POST("/login", s.login)
	r.POST("/logout", s.logout)
	r.GET("/metrics", s.metricsAccess, s.metricsPage)
	usersAdmin := r.Group("/admin/users", s.require(roleAdmin))
	usersAdmin.GET("", s.adminUsers)
	usersAdmin.POST("", s.adminUserCreate)
	usersAdmin.GET("/:id", s.adminUser)
	usersAdmin.POST("/:id", s.adminUserUpdate)
	usersAdmin.POST("/:id/password", s.adminUserPassword)
	usersAdmin.POST("/:id/disable", s.adminUserDisable)
	usersAdmin.POST("/:id/enable", s.adminUserEnable)
	periodsAdmin := r.Group("/admin/periods", s.require(roleInspector))
	periodsAdmin.GET("", s.adminPeriods)
	periodsAdmin.POST("", s.adminPeriodCreate)
	periodsAdmin.POST("/:period/open", s.adminPeriodOpen)
	periodsAdmin.GET("/:period/edit", s.adminPeriodEdit)
	periodsAdmin.POST("/:period/edit", s.adminPeriodUpdate)
	periodsAdmin.POST("/:period/extend", s.adminPeriodExtend)
	periodsAdmin.POST("/:period/delete", s.adminPeriodDelete)
	periodsAdmin.GET("/:period/close", s.adminPeriodCloseConfirm)
	periodsAdmin.POST("/:period/close", s.adminPeriodClose)
	periodsAdmin.GET("/:period/units", s.adminUnits)
	periodsAdmin.POST("/:period/units", s.adminUnitsImport)
	periodsAdmin.GET("/:period/units/:unit", s.adminUnit)
	periodsAdmin.POST("/:period/units/:unit", s.adminUnitUpdate)
	r.GET("/admin/settings", s.require(roleAdmin), s.adminSettings)
	r.POST("/admin/settings", s.require(roleAdmin), s.adminSettingsSave)
	r.GET("/admin/outbox", s.require(roleAdmin), s.adminOutbox)
	r.GET("/admin/audit", s.require(roleAdmin), s.auditLog)
	r.GET("/admin/audit.csv", s.require(roleAdmin), s.auditExport)

	// Analyst dashboard, charts and exports (issue: dashboard). Every unit's
	// figures: analysts, inspectors, admins; a unit's own page and charts:
	// also its viewers (s.unitScope: another unit is 404); answers and
	// data-quality decisions: analysts and admins. Filters travel in the
	// query: ?type=, ?include_flagged=true|false, ranking ?category=&parent=&sort=.
	r.GET("/dash", s.require(), s.dashIndex)
	dash := r.Group("/dash/:period")
	dash.GET("", s.require(), s.dashOverview)
	dash.GET("/units", s.require(roleAnalyst, roleInspector), s.dashUnits)
	dash.GET("/units/:unit", s.require(), s.unitScope, s.dashUnit)
	dash.GET("/elements/:element", s.require(roleAnalyst, roleInspector), s.dashElement)
	dash.GET("/heatmap", s.require(roleAnalyst, roleInspector), s.dashHeatmap)
	dash.GET("/quality", s.require(roleAnalyst, roleInspector), s.dashQuality)
	dash.POST("/quality/:response", s.require(roleAnalyst), s.dashDecision)
	dash.GET("/mcp", s.require(roleAnalyst, roleInspector), s.dashCrossRef)    // MCP beside SPI (issue 19)
	dash.GET("/units/:unit/mcp", s.require(), s.unitScope, s.dashUnitCrossRef) // a unit's MCP areas
	chart := r.Group("/charts/:period")
	for _, f := range []string{chartPNG, chartSVG} {
		chart.GET("/ranking."+f, s.require(roleAnalyst, roleInspector), s.chart(chartRanking, f, false))
		chart.GET("/heatmap."+f, s.require(roleAnalyst, roleInspector), s.chart(chartHeatmap, f, false))
		chart.GET("/response-rate."+f, s.require(roleAnalyst, roleInspector), s.chart(chartResponse, f, false))
		chart.GET("/units/:unit/profile."+f, s.require(), s.unitScope, s.chart(chartProfile, f, false))
		chart.GET("/units/:unit/trend."+f, s.require(), s.unitScope, s.chart(s.chartTrend, f, true))
		chart.GET("/mcp/:area/chart."+f, s.require(roleAnalyst, roleInspector), s.chartCrossRef(f))
	}
	exp := r.Group("/export/:period")
	for _, f := range export.Formats {
		exp.GET("/results."+f, s.require(roleAnalyst, roleInspector), s.exportResults(f))
		exp.GET("/answers."+f, s.require(roleAnalyst), s.exportAnswers(f))
		exp.GET("/mcp."+f, s.require(roleAnalyst, roleInspector), s.exportCrossRef(f))
	}

	// Inspectorate: rosters, invitations, corrections, packets (issue: inspectorate cycle).
	// Inspectors (and admins) run the cycle; viewers download their own
	// unit's packet; a head's download link works without an account.
	r.GET("/inspectorate", s.require(roleInspector), s.inspIndex)
	insp := r.Group("/inspectorate/:period", s.require(roleInspector))
	insp.GET("", s.inspHome)
	insp.GET("/roster", s.inspRoster)
	insp.POST("/roster", s.inspRosterImport)
	insp.GET("/sampling", s.inspSampling)
	insp.POST("/sampling", s.inspSampleDraw)
	insp.GET("/invitations", s.inspInvitations)
	insp.POST("/invitations/remind", s.inspRemind)
	insp.GET("/whatsapp", s.inspWhatsApp)
	insp.POST("/whatsapp/:id", s.inspWhatsAppOpen)
	insp.POST("/whatsapp.csv", s.inspWhatsAppCSV)
	insp.GET("/openlinks", s.inspOpenLinks)
	insp.GET("/posters/:file", s.inspPoster)
	insp.GET("/preview", s.inspPreviewIndex)
	insp.GET("/preview/:type", s.inspPreview)
	insp.POST("/preview/:type", limitBody(respondBody), s.inspPreview)
	insp.GET("/corrections", s.inspCorrections)
	insp.POST("/corrections", s.inspCorrectionAdd)
	insp.POST("/corrections/:id/delete", s.inspCorrectionDelete)
	insp.GET("/packets", s.inspPackets)
	insp.POST("/packets/build", s.inspPacketsBuild)
	insp.POST("/packets/resume", s.inspPacketsResume)
	insp.POST("/packets/send", s.inspPacketsSend)
	insp.GET("/packets/:unit/preview", s.inspPacketPreview)
	insp.POST("/deliveries/:id/resend", s.inspResend)
	insp.GET("/followup", s.inspFollowUp)
	insp.POST("/followup", s.inspFollowUpSave)
	insp.POST("/followup/upload", s.inspFollowUpUpload)
	insp.GET("/mcp", s.inspMCP) // MCP and PMPRB scores, by year (issue 19)
	insp.POST("/mcp", s.inspMCPImport)
	r.GET("/packets/:period/:unit", s.require(roleInspector, roleAnalyst, roleViewer), s.unitScope, s.packetDownload)
	r.GET("/packet/:token", s.packetLink)
	r.GET("/packet/:token/return", s.packetReturn) // the head returns the action plan by the same link
	r.POST("/packet/:token/return", s.packetReturnUpload)

	// JSON API (each area adds its endpoints here).
	// Accounts: any signed-in caller (session or bearer token); unit data
	// passes s.unitScope.
	accountsAPI := r.Group("/api/v1", s.require())
	accountsAPI.GET("/me", s.apiMe)
	accountsAPI.GET("/periods", s.apiPeriods)
	accountsAPI.GET("/periods/:period/units", s.unitScope, s.apiUnits)
	// Inspectorate: a unit's latest result packet (ZIP), in the caller's scope.
	accountsAPI.GET("/periods/:period/units/:unit/packet", s.require(roleInspector, roleAnalyst, roleViewer), s.unitScope, s.packetDownload)
	// Results (issue: analysis engine): every unit for analysts, inspectors
	// and admins; one unit, with the city to compare, for any account that
	// may see it (a viewer's other units are 404).
	r.GET("/api/v1/periods/:period/results", s.require(roleAnalyst, roleInspector), s.apiResults)
	accountsAPI.GET("/periods/:period/units/:unit", s.unitScope, s.apiUnitResults)
	// MCP beside SPI (issue 19): the city and every unit; one unit's areas in scope.
	r.GET("/api/v1/periods/:period/mcp", s.require(roleAnalyst, roleInspector), s.apiCrossRef)
	accountsAPI.GET("/periods/:period/units/:unit/mcp", s.unitScope, s.apiUnitCrossRef)
	r.POST("/api/v1/responses", limitBody(respondBody), s.apiResponses)
}
