package server

// Authorisation lives here, in one place. Every route declares who may use
// it when it is registered in routes.go; handlers never compare roles.
//
// Who is signed in: the global middleware s.authenticate puts a *User in the
// request (currentUser(c)) from the session cookie, or, on /api/… and
// /metrics only, from "Authorization: Bearer itg_…" (a personal API token).
// Pages ignore bearer tokens: a browser form post is always a session, and
// a token never becomes a cookie.
//
// Roles (survey.Role…):
//
//	admin      everything, and the only role for users and the audit log
//	inspector  periods, units, rosters, invitations, corrections, packets
//	analyst    all results and exports; no personal data of rosters
//	viewer     results and packets of the units in User.Units only
//
// The helpers, for the engineers who add routes after this:
//
//	s.require(roles...)        middleware: the caller must be signed in and
//	                           hold one of roles; admin always passes, and
//	                           s.require() with no roles admits any account.
//	                           Anonymous: a page redirects (303) to
//	                           /login?next=<this page>; /api answers 401 JSON.
//	                           Signed in without the role: 403.
//	s.unitScope                middleware for unit data: the unit codes in the
//	                           :unit route parameter, the "unit" query values
//	                           and the "unit" form values must all be in the
//	                           caller's scope, or the answer is 404 — the same
//	                           as for a unit that does not exist, so a viewer
//	                           learns nothing by trying codes.
//	s.unitAllowed(c, code)     the same check for a code found elsewhere (a
//	                           JSON body, a row looked up by id): on false,
//	                           call s.fail(c, errNotFound) and return.
//	s.visibleUnits(c, units)   filters a unit list down to the caller's scope.
//	s.audit(c, action, target, detail)   appends to the audit log as the caller.
//
// Pass c.Request.Context() to the store, never c itself: database/sql keeps
// the context after the handler returns, and gin reuses c for the next
// request (the race detector catches it).
//
// A route with unit data therefore reads, in routes.go:
//
//	r.GET("/results/:period/:unit", s.require(roleAnalyst, roleViewer), s.unitScope, s.unitResults)
//
// and a handler that lists units filters with s.visibleUnits. A viewer is
// scoped to exactly the units listed, not to their children.

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// Roles, as stored.
const (
	roleAdmin     = survey.RoleAdmin
	roleInspector = survey.RoleInspector
	roleAnalyst   = survey.RoleAnalyst
	roleViewer    = survey.RoleViewer
)

// HasRole reports whether the user holds one of roles; admins hold every
// role, and no roles at all means any account.
func (u *User) HasRole(roles ...string) bool {
	if u == nil {
		return false
	}
	return u.Role == roleAdmin || len(roles) == 0 || slices.Contains(roles, u.Role)
}

// SeesUnit reports whether the user may see a unit's data: viewers only
// their own units, every other role all units.
func (u *User) SeesUnit(code string) bool {
	if u == nil {
		return false
	}
	return u.Role != roleViewer || slices.Contains(u.Units, code)
}

// require admits signed-in callers holding one of roles (admin always).
func (s *Server) require(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			s.unauthenticated(c)
			return
		}
		if !u.HasRole(roles...) {
			s.fail(c, errForbidden)
			return
		}
		c.Next()
	}
}

// unauthenticated answers an anonymous caller: 401 JSON under /api and on
// /metrics, else a redirect to the login page that comes back here.
func (s *Server) unauthenticated(c *gin.Context) {
	if isAPI(c) || c.FullPath() == "/metrics" {
		c.Header("WWW-Authenticate", `Bearer realm="integritas"`)
		s.fail(c, errUnauthorized)
		return
	}
	to := "/login"
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		to += "?" + url.Values{"next": {c.Request.URL.RequestURI()}}.Encode()
	}
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

// unitAllowed reports whether the caller may see the unit's data.
func (s *Server) unitAllowed(c *gin.Context, code string) bool {
	return currentUser(c).SeesUnit(code)
}

// unitScope refuses (404) a request naming a unit outside the caller's
// scope in the :unit parameter, the query or a form body.
func (s *Server) unitScope(c *gin.Context) {
	codes := c.QueryArray("unit")
	if p := c.Param("unit"); p != "" {
		codes = append(codes, p)
	}
	if ct := c.ContentType(); ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
		codes = append(codes, c.PostFormArray("unit")...)
	}
	for _, code := range codes {
		if !s.unitAllowed(c, code) {
			s.fail(c, errNotFound)
			return
		}
	}
	c.Next()
}

// visibleUnits keeps the units the caller may see.
func (s *Server) visibleUnits(c *gin.Context, units []survey.Unit) []survey.Unit {
	u := currentUser(c)
	out := make([]survey.Unit, 0, len(units))
	for _, un := range units {
		if u.SeesUnit(un.Code) {
			out = append(out, un)
		}
	}
	return out
}
