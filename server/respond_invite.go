package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// invitation resolves /s/:token to an unused invitation of a period that
// accepts answers. The token itself never reaches a log or an error text.
func (s *Server) invitation(c *gin.Context) (*survey.Invitation, *periodEntry, error) {
	inv, err := s.resp.finder.ByToken(c.Request.Context(), c.Param("token"))
	if errors.Is(err, survey.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %w", errLinkUnknown, err)
	}
	if err != nil {
		return nil, nil, err
	}
	if inv.Used {
		return nil, nil, errLinkGone
	}
	e, err := s.respondPeriodByID(c.Request.Context(), inv.PeriodID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.accepting(e.p); err != nil {
		return nil, nil, err
	}
	return inv, e, nil
}

// inviteForm shows an invitation's questionnaire, resuming a saved draft.
func (s *Server) inviteForm(c *gin.Context) {
	inv, e, err := s.invitation(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := formView{inst: e.p.Instrument, typ: inv.Type, unitName: inv.UnitName, action: c.Request.URL.Path, started: s.startStamp(0),
		claim: &formClaim{Period: e.p.Code, Unit: inv.UnitCode, Type: inv.Type}}
	if d := inv.Draft; d != nil {
		v.answers, v.started, v.notice = d.Answers, s.startStamp(d.Elapsed), "respondent.resumed"
	}
	if c.Query("saved") == "1" {
		v.notice = "respondent.saved"
	}
	s.showForm(c, http.StatusOK, v)
}

// inviteSubmit saves a draft ("Simpan") or submits the answers: invalid
// answers come back on the page with a message beside each problem; valid
// ones go to the committer, which marks the invitation used in the same
// transaction, and the respondent lands on the thanks page.
//
// A valid submission skips the invitation lookup: the page carries the
// invitation's period, unit and type, and the committer stores the answers
// only if the token's unused invitation has exactly those (else: used, or
// unknown). Saving, and answers with problems, look the invitation up.
func (s *Server) inviteSubmit(c *gin.Context) {
	in, err := readForm(c)
	if err != nil {
		s.fail(c, formErr(err))
		return
	}
	if in.action != "save" && s.submitClaimed(c, in) {
		return
	}
	inv, e, err := s.invitation(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if in.action == "save" {
		d := survey.Draft{Answers: in.answers, Elapsed: max(s.duration(in.started), 0), Lang: in.lang}
		if err := s.store.Headroom(); err != nil { // a draft can wait; the space left is for answers
			s.notSaved(c, err, formView{inst: e.p.Instrument, typ: inv.Type, unitName: inv.UnitName, action: c.Request.URL.Path,
				answers: in.answers, started: s.keepStart(in.started), claim: &formClaim{Period: e.p.Code, Unit: inv.UnitCode, Type: inv.Type}})
			return
		}
		if err := s.store.SaveDraft(c.Request.Context(), c.Param("token"), e.p.Instrument, d); err != nil {
			if errors.Is(err, survey.ErrUsed) {
				err = errLinkGone
			}
			s.fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, c.Request.URL.Path+"?saved=1")
		return
	}
	a, probs := e.p.Instrument.ParseAnswers(inv.Type, in.answers)
	if len(probs) > 0 {
		s.showForm(c, http.StatusUnprocessableEntity, formView{inst: e.p.Instrument, typ: inv.Type, unitName: inv.UnitName,
			action: c.Request.URL.Path, answers: in.answers, problems: probs, started: s.keepStart(in.started),
			claim: &formClaim{Period: e.p.Code, Unit: inv.UnitCode, Type: inv.Type}})
		return
	}
	s.commitInvitation(c, e, inv.UnitID, inv.Type, in, a)
}

// submitClaimed stores valid answers under the period, unit and type the
// page claims, without looking the invitation up; it reports false (having
// answered nothing) when the claim is missing, unknown or the answers have
// problems, so the caller takes the looked-up path.
func (s *Server) submitClaimed(c *gin.Context, in formInput) bool {
	if in.period == "" || !survey.ValidType(in.typ) {
		return false
	}
	e, err := s.respondPeriod(c.Request.Context(), in.period)
	if err != nil {
		return false
	}
	u, err := e.unit(in.unit)
	if err != nil {
		return false
	}
	a, probs := e.p.Instrument.ParseAnswers(in.typ, in.answers)
	if len(probs) > 0 {
		return false
	}
	if err := s.accepting(e.p); err != nil {
		s.fail(c, err)
		return true
	}
	s.commitInvitation(c, e, u.ID, in.typ, in, a)
	return true
}

// commitInvitation hands valid answers to the committer and answers the
// respondent: thanks, or why not (used, unknown link, survey closed).
func (s *Server) commitInvitation(c *gin.Context, e *periodEntry, unitID int64, typ string, in formInput, a survey.Answers) {
	hash, err := survey.TokenHash(c.Param("token"))
	if err != nil {
		s.fail(c, fmt.Errorf("%w: %w", errLinkUnknown, err))
		return
	}
	err = s.committer.Submit(c.Request.Context(), &survey.Submission{TokenHash: hash, Response: survey.NewResponse{
		PeriodID: e.p.ID, UnitID: unitID, Type: typ, Channel: survey.ChannelInvitation,
		Duration: s.duration(in.started), Lang: in.lang, Answers: a}})
	if errors.Is(err, survey.ErrUsed) {
		err = errLinkGone
	}
	if s.notStored(err) {
		u := e.unitByID(unitID)
		s.notSaved(c, err, formView{inst: e.p.Instrument, typ: typ, unitName: u.Name, action: c.Request.URL.Path,
			answers: in.answers, started: s.keepStart(in.started), claim: &formClaim{Period: e.p.Code, Unit: u.Code, Type: typ}})
		return
	}
	if err != nil {
		s.fail(c, submitErr(err))
		return
	}
	c.Redirect(http.StatusSeeOther, "/thanks")
}

// formErr keeps an oversized body's 413 and makes any other unreadable form
// a 400.
func formErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return fmt.Errorf("%w: %w", errBadRequest, err)
}
