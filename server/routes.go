package server

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
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

	// Respondents (issue: respondent flows). Token pages log only their
	// route pattern; answers are posted in bounded bodies.
	r.GET("/s/:token", s.inviteForm)
	r.POST("/s/:token", limitBody(respondBody), s.inviteSubmit)
	r.GET("/r/:period/:unit", s.openForm)
	r.POST("/r/:period/:unit", limitBody(respondBody), s.openSubmit)
	r.GET("/r/:period/:unit/qr.png", s.openQR)
	r.GET("/thanks", s.thanks)

	// Accounts, sessions and administration (issue: accounts and roles).

	// Analyst dashboard, charts and exports (issue: dashboard).

	// Inspectorate: rosters, invitations, corrections, packets (issue: inspectorate cycle).

	// JSON API (each area adds its endpoints here).
	r.POST("/api/v1/responses", limitBody(respondBody), s.apiResponses)
}
