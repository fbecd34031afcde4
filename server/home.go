package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) home(c *gin.Context) {
	s.render(c, http.StatusOK, "home", nil)
}

// healthz answers 200 when the database answers reads.
func (s *Server) healthz(c *gin.Context) {
	if err := s.store.Ping(c.Request.Context()); err != nil { // not c: database/sql keeps the context past the handler, gin reuses c
		s.log.Error("healthz", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
