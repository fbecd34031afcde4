package server

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/assets"
	"integritas/survey"
)

// maxUpload bounds one uploaded file (the whole body is bounded by maxBody).
const maxUpload = 1 << 20

// periodsPage lists periods and holds the form to create one.
type periodsPage struct {
	formPage
	Periods []*survey.Period
	Form    periodForm
	// PastClosing is the period refused opening for its past closing date.
	PastClosing string
}

type periodForm struct {
	Code, Name, Opens, Closes string
}

var periodCode = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// adminPeriods lists the periods, newest first.
func (s *Server) adminPeriods(c *gin.Context) {
	s.renderPeriods(c, http.StatusOK, periodsPage{formPage: formPage{
		Notice: notice(c, "admin.periods.done.", "created", "opened", "closed") + notice(c, "cycle.period.done.", "deleted")}})
}

func (s *Server) renderPeriods(c *gin.Context, status int, p periodsPage) {
	var err error
	if p.Periods, err = s.store.Periods(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "admin_periods", p)
}

// adminPeriodCreate creates a draft period from the default instrument or
// an uploaded one, with optional method settings checked by the analysis
// package before anything is stored.
func (s *Server) adminPeriodCreate(c *gin.Context) {
	if !s.parseUpload(c) {
		return
	}
	f := periodForm{Code: strings.TrimSpace(c.PostForm("code")), Name: strings.TrimSpace(c.PostForm("name")),
		Opens: strings.TrimSpace(c.PostForm("opens")), Closes: strings.TrimSpace(c.PostForm("closes"))}
	refuse := func(status int, msg string, problems []string) {
		s.renderPeriods(c, status, periodsPage{Form: f, formPage: formPage{Error: msg, Problems: problems}})
	}
	if msg := f.check(); msg != "" {
		refuse(http.StatusBadRequest, msg, nil)
		return
	}
	if _, err := s.store.Period(c.Request.Context(), f.Code); err == nil {
		refuse(http.StatusConflict, "admin.period.code.taken", nil)
		return
	}
	inst, ok, err := uploaded(c, "instrument")
	if err != nil {
		refuse(http.StatusBadRequest, "admin.upload.unreadable", nil)
		return
	}
	if !ok {
		inst = assets.DefaultInstrument()
	}
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
	}
	p, err := s.store.CreatePeriod(c.Request.Context(), survey.NewPeriod{Code: f.Code, Name: f.Name, Instrument: inst, Settings: settings,
		OpensOn: f.Opens, ClosesOn: f.Closes})
	var ie *survey.InstrumentError
	switch {
	case errors.As(err, &ie):
		refuse(http.StatusBadRequest, "admin.period.instrument.invalid", ie.Problems)
		return
	case errors.Is(err, survey.ErrConflict):
		refuse(http.StatusConflict, "admin.period.instrument.version", nil)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.audit(c, "period.create", "period:"+p.Code, "instrument "+p.Instrument.Code+" v"+itoa(p.Instrument.Version))
	c.Redirect(http.StatusSeeOther, "/admin/periods?done=created")
}

// check returns the message id of the first problem of the form, or "".
func (f periodForm) check() string {
	if !periodCode.MatchString(f.Code) {
		return "admin.period.code.invalid"
	}
	if len(f.Name) > 200 {
		return "admin.period.name.too_long"
	}
	if survey.HasControl(f.Name) {
		return "robust.name.control"
	}
	for _, d := range []string{f.Opens, f.Closes} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return "admin.period.date.invalid"
		}
	}
	if f.Opens != "" && f.Closes != "" && f.Opens > f.Closes {
		return "admin.period.date.order"
	}
	return ""
}

// parseUpload reads a multipart body, answering 413 when it is over the
// limit and 400 when it is not a form.
func (s *Server) parseUpload(c *gin.Context) bool {
	err := c.Request.ParseMultipartForm(maxUpload)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		s.fail(c, err)
		return false
	case err != nil:
		s.fail(c, errBadRequest)
		return false
	}
	return true
}

// uploaded returns the content of an optional file field of a parsed
// multipart form; ok is false when no file was chosen.
func uploaded(c *gin.Context, field string) (b []byte, ok bool, err error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || (err == nil && fh.Size == 0) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return readUpload(fh)
}

func readUpload(fh *multipart.FileHeader) ([]byte, bool, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil || len(b) > maxUpload {
		return nil, false, errTooLarge
	}
	return b, true, nil
}
