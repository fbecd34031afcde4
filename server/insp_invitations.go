package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// invitationsPage counts a period's invitations and shows the mail log of
// invitations and reminders.
type invitationsPage struct {
	inspPage
	Counts     []survey.InvitationCount
	Deliveries []survey.Delivery
	Pooled     int                    // acknowledged answers waiting, sealed, in the pool
	Reminders  []survey.ReminderCount // reminders are kept as counts only
}

func (s *Server) inspInvitations(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderInvitations(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.invitations.done.", "invited", "reminded", "resent")})
}

func (s *Server) renderInvitations(c *gin.Context, status int, p *survey.Period, f formPage) {
	ctx := c.Request.Context()
	counts, err := s.store.InvitationCounts(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var log []survey.Delivery
	for _, kind := range []string{survey.DeliveryInvitation, survey.DeliveryReminder} {
		d, err := s.store.Deliveries(ctx, p.ID, kind, 250)
		if err != nil {
			s.fail(c, err)
			return
		}
		log = append(log, d...)
	}
	_, pooled, err := s.store.PoolWaiting(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	reminders, err := s.store.ReminderCounts(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "insp_invitations", invitationsPage{inspPage: s.inspBase(p, "invitations", f), Counts: counts, Deliveries: log,
		Pooled: pooled, Reminders: reminders})
}

// inspRemind queues a reminder, with a fresh link, to every unused
// invitation with an e-mail (of one unit when "unit" is given).
func (s *Server) inspRemind(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	unit, lang := c.PostForm("unit"), c.PostForm("lang")
	if lang != "id" && lang != "en" {
		s.renderInvitations(c, http.StatusBadRequest, p, formPage{Error: "insp.invitations.lang.invalid"})
		return
	}
	if !s.confirmRemind(c, p, lang) { // reminders to every unit show their reach first (insp_confirm.go)
		return
	}
	n, err := s.insp.mailer.Remind(c.Request.Context(), p, unit, lang)
	switch {
	case errors.Is(err, survey.ErrClosed):
		s.renderInvitations(c, http.StatusConflict, p, formPage{Error: "insp.period_closed"})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if n == 0 {
		s.renderInvitations(c, http.StatusConflict, p, formPage{Error: "insp.invitations.nothing_to_remind"})
		return
	}
	target := "period:" + p.Code
	if unit != "" {
		target += "/unit:" + unit
	}
	s.audit(c, "invitation.remind", target, fmt.Sprintf("%d reminders queued (%s)", n, lang))
	redirectDone(c, inspURL(p, "invitations"), "reminded")
}

// inspResendInvitation queues an invitation or reminder again with a fresh
// link, while the invitation is unused.
func (s *Server) inspResendInvitation(c *gin.Context, p *survey.Period, d survey.Delivery) {
	n, err := s.insp.mailer.Resend(c.Request.Context(), p, d, s.tr(c).Lang())
	switch {
	case errors.Is(err, survey.ErrClosed):
		s.renderInvitations(c, http.StatusConflict, p, formPage{Error: "insp.period_closed"})
		return
	case errors.Is(err, survey.ErrNotFound):
		s.renderInvitations(c, http.StatusConflict, p, formPage{Error: "insp.resend.no_invitation"})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if n == 0 {
		s.renderInvitations(c, http.StatusConflict, p, formPage{Error: "insp.resend.used"})
		return
	}
	s.audit(c, "invitation.resend", "period:"+p.Code+"/unit:"+d.UnitCode, "delivery "+strconv.FormatInt(d.ID, 10))
	redirectDone(c, inspURL(p, "invitations"), "resent")
}
