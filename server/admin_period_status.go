package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// closePage asks for confirmation before a period is closed for good.
type closePage struct {
	formPage
	Period    *survey.Period
	Responses int
}

// loadPeriod reads the :period period, answering 404 when there is none.
func (s *Server) loadPeriod(c *gin.Context) (*survey.Period, bool) {
	p, err := s.store.Period(c.Request.Context(), c.Param("period"))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return p, true
}

// adminPeriodOpen opens a draft period for answers.
func (s *Server) adminPeriodOpen(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	err := s.store.OpenPeriod(c.Request.Context(), p.Code)
	if errors.Is(err, survey.ErrPastClosing) {
		s.renderPeriods(c, http.StatusConflict, periodsPage{formPage: formPage{Error: "cycle.period.past_closing"}, PastClosing: p.Code})
		return
	}
	if errors.Is(err, survey.ErrClosed) {
		s.renderPeriods(c, http.StatusConflict, periodsPage{formPage: formPage{Error: "admin.period.status.not_draft"}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "period.open", "period:"+p.Code, "")
	c.Redirect(http.StatusSeeOther, "/admin/periods?done=opened")
}

// adminPeriodCloseConfirm shows what closing means and asks for the code.
func (s *Server) adminPeriodCloseConfirm(c *gin.Context) {
	s.renderClose(c, http.StatusOK, "")
}

func (s *Server) renderClose(c *gin.Context, status int, msg string) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	counts, err := s.store.ResponseCounts(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	n := 0
	for _, byType := range counts {
		for _, k := range byType {
			n += k
		}
	}
	s.render(c, status, "admin_period_close", closePage{Period: p, Responses: n, formPage: formPage{Error: msg}})
}

// adminPeriodClose closes an open period once its code is typed again;
// its answers are frozen from then on.
func (s *Server) adminPeriodClose(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	if strings.TrimSpace(c.PostForm("confirm")) != p.Code {
		s.renderClose(c, http.StatusBadRequest, "admin.period.close.confirm_mismatch")
		return
	}
	err := s.store.SetPeriodStatus(c.Request.Context(), p.Code, survey.StatusClosed)
	if errors.Is(err, survey.ErrClosed) {
		s.renderClose(c, http.StatusConflict, "admin.period.status.not_open")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "period.close", "period:"+p.Code, "")
	c.Redirect(http.StatusSeeOther, "/admin/periods?done=closed")
}

func itoa(n int) string { return strconv.Itoa(n) }
