package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/survey"
)

// periodEditPage edits a draft period (name, dates, settings, instrument),
// extends an open one, and deletes one without responses.
type periodEditPage struct {
	formPage
	Period    *survey.Period
	Form      periodForm
	Responses int
	Today     string
}

// adminPeriodEdit shows the period's edit, extend and delete forms.
func (s *Server) adminPeriodEdit(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderPeriodEdit(c, http.StatusOK, p, formPage{Notice: notice(c, "cycle.period.done.", "edited", "extended")},
		periodForm{Code: p.Code, Name: p.Name, Opens: p.OpensOn, Closes: p.ClosesOn})
}

func (s *Server) renderPeriodEdit(c *gin.Context, status int, p *survey.Period, f formPage, form periodForm) {
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
	s.render(c, status, "admin_period_edit", periodEditPage{formPage: f, Period: p, Form: form, Responses: n,
		Today: s.now().UTC().Format("2006-01-02")})
}

// adminPeriodUpdate saves a draft period's name, dates and, when uploaded,
// its method settings or instrument.
func (s *Server) adminPeriodUpdate(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok || !s.parseUpload(c) {
		return
	}
	form := periodForm{Code: p.Code, Name: strings.TrimSpace(c.PostForm("name")),
		Opens: strings.TrimSpace(c.PostForm("opens")), Closes: strings.TrimSpace(c.PostForm("closes"))}
	refuse := func(status int, msg string, problems []string) {
		s.renderPeriodEdit(c, status, p, formPage{Error: msg, Problems: problems}, form)
	}
	if msg := form.check(); msg != "" {
		refuse(http.StatusBadRequest, msg, nil)
		return
	}
	e := survey.PeriodEdit{Name: &form.Name, OpensOn: &form.Opens, ClosesOn: &form.Closes}
	settings, ok, err := uploaded(c, "settings")
	if err != nil {
		refuse(http.StatusBadRequest, "admin.upload.unreadable", nil)
		return
	}
	if ok {
		if _, err := analysis.ParseSettings(settings); err != nil {
			refuse(http.StatusBadRequest, "admin.period.settings.invalid", strings.Split(err.Error(), "\n"))
			return
		}
		e.Settings = json.RawMessage(settings)
	}
	if e.Instrument, _, err = uploaded(c, "instrument"); err != nil {
		refuse(http.StatusBadRequest, "admin.upload.unreadable", nil)
		return
	}
	_, err = s.store.EditDraftPeriod(c.Request.Context(), p.Code, e)
	var ie *survey.InstrumentError
	switch {
	case errors.As(err, &ie):
		refuse(http.StatusBadRequest, "admin.period.instrument.invalid", ie.Problems)
		return
	case errors.Is(err, survey.ErrClosed):
		refuse(http.StatusConflict, "cycle.period.not_draft", nil)
		return
	case errors.Is(err, survey.ErrConflict):
		refuse(http.StatusConflict, "admin.period.instrument.version", nil)
		return
	case errors.Is(err, survey.ErrControlChars):
		refuse(http.StatusBadRequest, "robust.name.control", nil)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "period.edit", "period:"+p.Code, "name "+form.Name+", opens "+form.Opens+", closes "+form.Closes)
	redirectDone(c, "/admin/periods/"+p.Code+"/edit", "edited")
}

// adminPeriodExtend moves an open period's closing date later; reminders
// sent afterwards quote the new date (they read it from the period).
func (s *Server) adminPeriodExtend(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	closes := strings.TrimSpace(c.PostForm("closes"))
	form := periodForm{Code: p.Code, Name: p.Name, Opens: p.OpensOn, Closes: closes}
	if (periodForm{Closes: closes, Code: p.Code}).check() != "" || closes == "" {
		s.renderPeriodEdit(c, http.StatusBadRequest, p, formPage{Error: "admin.period.date.invalid"}, form)
		return
	}
	np, err := s.store.ExtendPeriod(c.Request.Context(), p.Code, closes)
	switch {
	case errors.Is(err, survey.ErrClosed):
		s.renderPeriodEdit(c, http.StatusConflict, p, formPage{Error: "cycle.period.not_open"}, form)
		return
	case errors.Is(err, survey.ErrPastClosing):
		s.renderPeriodEdit(c, http.StatusBadRequest, p, formPage{Error: "cycle.period.extend_past"}, form)
		return
	case err != nil:
		s.renderPeriodEdit(c, http.StatusBadRequest, p, formPage{Error: "cycle.period.extend_earlier"}, form)
		return
	}
	s.audit(c, "period.extend", "period:"+p.Code, "closes "+p.ClosesOn+" → "+np.ClosesOn)
	redirectDone(c, "/admin/periods/"+p.Code+"/edit", "extended")
}

// adminPeriodDelete deletes a period without responses once its code is
// typed again.
func (s *Server) adminPeriodDelete(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	form := periodForm{Code: p.Code, Name: p.Name, Opens: p.OpensOn, Closes: p.ClosesOn}
	if strings.TrimSpace(c.PostForm("confirm")) != p.Code {
		s.renderPeriodEdit(c, http.StatusBadRequest, p, formPage{Error: "admin.period.close.confirm_mismatch"}, form)
		return
	}
	err := s.store.DeletePeriod(c.Request.Context(), p.Code)
	if errors.Is(err, survey.ErrHasResponses) {
		s.renderPeriodEdit(c, http.StatusConflict, p, formPage{Error: "cycle.period.has_responses"}, form)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "period.delete", "period:"+p.Code, "")
	c.Redirect(http.StatusSeeOther, "/admin/periods?done=deleted")
}
