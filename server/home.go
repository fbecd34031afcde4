package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// home sends signed-in staff where they work (landing) and shows the
// sign-in page's welcome to everyone else.
func (s *Server) home(c *gin.Context) {
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, landing(u.Role))
		return
	}
	s.render(c, http.StatusOK, "home", nil)
}

// landing is each role's first page: inspectors and admins run the cycle,
// analysts and viewers read results.
func landing(role string) string {
	if role == roleInspector || role == roleAdmin {
		return "/inspectorate"
	}
	return "/dash"
}
