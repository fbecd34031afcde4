package server

import (
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// unitPage edits one unit of a period.
type unitPage struct {
	formPage
	Period *survey.Period
	Unit   survey.Unit
	Types  []string
}

// adminUnit shows a unit's edit form.
func (s *Server) adminUnit(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	u, err := s.store.Unit(c.Request.Context(), p.ID, c.Param("unit"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_unit", unitPage{Period: p, Unit: u, Types: survey.Types})
}

// adminUnitUpdate changes a unit's name, head and population frame for the
// period. Populations may change after closing: the Inspectorate fixes a
// wrong N (spi-method.md §4) without touching any answer.
func (s *Server) adminUnitUpdate(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	old, err := s.store.Unit(c.Request.Context(), p.ID, c.Param("unit"))
	if err != nil {
		s.fail(c, err)
		return
	}
	u := survey.Unit{Code: old.Code, Name: strings.TrimSpace(c.PostForm("name")), HeadName: strings.TrimSpace(c.PostForm("head_name")),
		HeadEmail: strings.TrimSpace(c.PostForm("head_email")), ParentCode: old.ParentCode, Population: map[string]int{}}
	msg := ""
	if n := utf8.RuneCountInString(u.Name); n < 1 || n > 200 {
		msg = "admin.unit.name.invalid"
	}
	if a, err := mail.ParseAddress(u.HeadEmail); u.HeadEmail != "" && (err != nil || a.Address != u.HeadEmail) {
		msg = "admin.unit.head_email.invalid"
	}
	if utf8.RuneCountInString(u.HeadName) > 200 {
		msg = "admin.unit.head_name.too_long"
	}
	if survey.HasControl(u.Name) || survey.HasControl(u.HeadName) {
		msg = "robust.name.control"
	}
	for _, t := range survey.Types {
		v := strings.TrimSpace(c.PostForm(t + "_population"))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10_000_000 {
			msg = "admin.unit.population.invalid"
			continue
		}
		u.Population[t] = n
	}
	if msg != "" {
		s.render(c, http.StatusBadRequest, "admin_unit", unitPage{Period: p, Unit: u, Types: survey.Types, formPage: formPage{Error: msg}})
		return
	}
	if err := s.store.UpdateUnit(c.Request.Context(), p.ID, u); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "unit.update", "period:"+p.Code+" unit:"+u.Code, "name, head and population")
	c.Redirect(http.StatusSeeOther, "/admin/periods/"+url.PathEscape(p.Code)+"/units?done=updated")
}
