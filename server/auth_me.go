package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiMe answers who the caller is: a script's first check that its token works.
func (s *Server) apiMe(c *gin.Context) {
	u := currentUser(c)
	units := u.Units
	if units == nil {
		units = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"email": u.Email, "name": u.Name, "role": u.Role, "units": units, "via": u.Via})
}
