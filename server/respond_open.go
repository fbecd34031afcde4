package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// openLink resolves /r/:period/:unit to a unit taking part in the period.
func (s *Server) openLink(c *gin.Context) (*periodEntry, survey.Unit, error) {
	e, err := s.respondPeriod(c.Request.Context(), c.Param("period"))
	if err != nil {
		return nil, survey.Unit{}, err
	}
	u, err := e.unit(c.Param("unit"))
	return e, u, err
}

// openForm shows the public questionnaire of a unit (external respondents)
// with a freshly signed form, and gives the browser its device cookie.
func (s *Server) openForm(c *gin.Context) {
	e, u, err := s.openLink(c)
	if err == nil {
		err = s.accepting(e.p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.deviceID(c, e.p, true)
	s.showForm(c, http.StatusOK, formView{inst: e.p.Instrument, typ: survey.External, unitName: u.Name,
		action: c.Request.URL.Path, openLink: true, form: s.issueForm(e.p, u)})
}

// openSubmit stores a public response, when it passes, in this order: the
// per-address rate limit; valid answers (else the form again, answers
// kept); a genuine, unexpired form for this unit; the device cookie;
// the per-address cap; and, in the committer's transaction, the form's
// nonce unused and the device under its cap. Every refusal is counted
// per unit and day for the analysts, and every arrival feeds the spike
// alert. Answers without the cookie are refused, not flagged: a flag
// would keep them in the figures by default, and a bot can always drop
// its cookies.
func (s *Server) openSubmit(c *gin.Context) {
	if ok, wait := s.resp.limiter.allow(c.ClientIP(), s.now()); !ok {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.fail(c, errRateLimited)
		return
	}
	e, u, err := s.openLink(c)
	if err == nil {
		err = s.accepting(e.p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	in, err := readForm(c)
	if err != nil {
		s.fail(c, formErr(err))
		return
	}
	now := s.now()
	s.resp.open.spikes.record(e.p.ID, u.ID, now)
	v := formView{inst: e.p.Instrument, typ: survey.External, unitName: u.Name,
		action: c.Request.URL.Path, openLink: true, answers: in.answers, form: in.form}
	tok, state := s.checkForm(in.form, e.p, u)
	if state != formOK {
		v.form = s.issueForm(e.p, u)
	}
	a, probs := e.p.Instrument.ParseAnswers(survey.External, in.answers)
	if len(probs) > 0 {
		v.problems = probs
		s.showForm(c, http.StatusUnprocessableEntity, v)
		return
	}
	dev, err := s.openGate(c, e.p, u, tok, state)
	if errors.Is(err, errOpenExpired) || errors.Is(err, errOpenCookie) {
		code, key, _ := openStatus(err)
		v.notice = key + ".body"
		s.showForm(c, code, v)
		return
	}
	if err != nil {
		s.openRefused(c, err)
		return
	}
	err = s.storeOpen(c, e.p, u, tok, dev, &survey.Submission{Response: survey.NewResponse{
		PeriodID: e.p.ID, UnitID: u.ID, Type: survey.External, Channel: survey.ChannelOpen, Lang: in.lang, Answers: a}})
	switch {
	case s.notStored(err):
		s.notSaved(c, err, v)
	case errors.Is(err, survey.ErrReplayed), errors.Is(err, survey.ErrCapped), errors.Is(err, errOpenCapped):
		s.openRefused(c, err)
	case err != nil:
		s.fail(c, submitErr(err))
	default:
		c.Redirect(http.StatusSeeOther, "/thanks")
	}
}

// openGate checks the signed form and the device cookie of an open-link
// submission, counting a refusal, and returns the device tag. A browser
// without the cookie gets it again with the refusal, so that allowing
// cookies and sending once more is enough.
func (s *Server) openGate(c *gin.Context, p *survey.Period, u survey.Unit, tok openFormToken, state formState) ([]byte, error) {
	now := s.now()
	switch state {
	case formBad:
		s.resp.open.refuse(s.store, p.ID, u.ID, now, survey.OutcomeBadForm)
		return nil, errOpenForm
	case formExpired:
		s.resp.open.refuse(s.store, p.ID, u.ID, now, survey.OutcomeExpired)
		return nil, errOpenExpired
	}
	id := s.deviceID(c, p, false)
	if id == "" {
		s.deviceID(c, p, true)
		s.resp.open.refuse(s.store, p.ID, u.ID, now, survey.OutcomeNoCookie)
		return nil, errOpenCookie
	}
	return s.deviceHash(p, id), nil
}

// storeOpen passes the per-address cap and hands the submission to the
// committer with the fill time measured from the form, the device tag, and
// the form's nonce and the device cap to check in its transaction.
func (s *Server) storeOpen(c *gin.Context, p *survey.Period, u survey.Unit, tok openFormToken, dev []byte, sub *survey.Submission) error {
	now := s.now()
	addr := addrKey{period: p.ID, unit: u.ID, day: now.UTC().Format(time.DateOnly), addr: c.ClientIP()}
	if !s.resp.open.reserveAddress(addr) {
		s.resp.open.refuse(s.store, p.ID, u.ID, now, survey.OutcomeCappedAddress)
		return errOpenCapped
	}
	sub.Response.Duration, sub.Response.DeviceHash = s.fillSeconds(tok), dev
	sub.Open = &survey.OpenCheck{Nonce: tok.nonce, Expires: tok.expires(), DeviceCap: s.cfg.OpenDeviceCap}
	err := s.committer.Submit(c.Request.Context(), sub)
	if err != nil {
		s.resp.open.releaseAddress(addr)
		s.countCommitRefusal(p.ID, u.ID, now, err)
	}
	return err
}

// countCommitRefusal counts what the committer refused for an open link.
func (s *Server) countCommitRefusal(periodID, unitID int64, now time.Time, err error) {
	switch {
	case errors.Is(err, survey.ErrReplayed):
		s.resp.open.refuse(s.store, periodID, unitID, now, survey.OutcomeReplayed)
	case errors.Is(err, survey.ErrCapped):
		s.resp.open.refuse(s.store, periodID, unitID, now, survey.OutcomeCappedDevice)
	}
}

// openRefused answers a refused open-link submission with its page and a
// link back to the unit's form (a fresh one).
func (s *Server) openRefused(c *gin.Context, err error) {
	code, key, ok := openStatus(err)
	if !ok {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, code, "message", map[string]string{"Title": key + ".title", "Body": key + ".body",
		"Link": c.Request.URL.Path, "LinkText": "respondent.open.again"})
	c.Abort()
}
