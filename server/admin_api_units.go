package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// apiUnit is a unit as the API shows it.
type apiUnit struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	Parent     string         `json:"parent,omitempty"`
	Population map[string]int `json:"population"`
}

func toAPIUnit(u survey.Unit) apiUnit {
	return apiUnit{Code: u.Code, Name: u.Name, Parent: u.ParentCode, Population: u.Population}
}

// apiPeriods lists the periods: code, name, status and dates.
func (s *Server) apiPeriods(c *gin.Context) {
	ps, err := s.store.Periods(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]gin.H, 0, len(ps))
	for _, p := range ps {
		out = append(out, gin.H{"code": p.Code, "name": p.Name, "status": p.Status, "opens_on": p.OpensOn, "closes_on": p.ClosesOn})
	}
	c.JSON(http.StatusOK, gin.H{"periods": out})
}

// apiUnits lists the period's units the caller may see; ?unit=A&unit=B
// narrows the list (and, through s.unitScope, a code out of scope is 404).
func (s *Server) apiUnits(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	units, err := s.store.Units(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	want := map[string]bool{}
	for _, code := range c.QueryArray("unit") {
		want[code] = true
	}
	out := []apiUnit{}
	for _, u := range s.visibleUnits(c, units) {
		if len(want) == 0 || want[u.Code] {
			out = append(out, toAPIUnit(u))
		}
	}
	c.JSON(http.StatusOK, gin.H{"period": p.Code, "units": out})
}
