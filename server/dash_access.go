package server

import (
	"slices"

	"github.com/gin-gonic/gin"
)

// Who may use the dashboard, the charts, the exports and the results API.
// These wrap the account helpers (see the accounts work): every dashboard
// route names its roles in routes.go; unit data passes dashSees.
var (
	dashReaders  = []string{"admin", "inspector", "analyst"}           // every unit's results
	dashUnitRead = []string{"admin", "inspector", "analyst", "viewer"} // a unit's own results
	dashAnalysts = []string{"admin", "analyst"}                        // answers and data-quality decisions
)

// dashRequire admits callers holding one of roles (admin always).
func (s *Server) dashRequire(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			c.Next() // accounts not wired yet
			return
		}
		if u.Role != "admin" && !slices.Contains(roles, u.Role) {
			s.fail(c, errForbidden)
			return
		}
		c.Next()
	}
}

// dashSees reports whether the caller may see a unit's own figures: viewers
// only their units; a unit out of scope answers 404, as if it did not exist.
func (s *Server) dashSees(c *gin.Context, code string) bool {
	u := currentUser(c)
	return u == nil || u.Role != "viewer" || slices.Contains(u.Units, code)
}

// dashUnitScope refuses (404) a :unit outside the caller's scope.
func (s *Server) dashUnitScope(c *gin.Context) {
	if !s.dashSees(c, c.Param("unit")) {
		s.fail(c, errNotFound)
		return
	}
	c.Next()
}

// actor names the caller in the audit log.
func actor(c *gin.Context) string {
	if u := currentUser(c); u != nil {
		return u.Email
	}
	return "anonymous"
}
