package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
)

// apiResults answers a period's results, the same analysis.Results that
// `integritas results` prints, from the cache, under the recorded decisions.
func (s *Server) apiResults(c *gin.Context) {
	r, _, ok := s.loadResults(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, r.Results)
}

// apiUnitResults answers one unit's results in the same shape, with the
// city's figures to compare with; a unit out of the caller's scope is 404.
func (s *Server) apiUnitResults(c *gin.Context) {
	r, _, ok := s.loadResults(c)
	if !ok {
		return
	}
	u, err := unitResult(r.Results, c.Param("unit"))
	if err != nil {
		s.fail(c, err)
		return
	}
	res := r.Results
	c.JSON(http.StatusOK, &analysis.Results{Period: res.Period, Settings: res.Settings, City: res.City, Units: []analysis.UnitResult{*u}})
}
