package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// invitationsPage counts a period's invitations and shows the mail log of
// invitations and reminders.
type invitationsPage struct {
	inspPage
	Counts     []survey.InvitationCount
	Deliveries []survey.Delivery
}

func (s *Server) inspInvitations(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.renderInvitations(c, http.StatusOK, p, formPage{Notice: notice(c, "insp.invitations.done.", "invited", "reminded")})
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
	s.render(c, status, "insp_invitations", invitationsPage{inspPage: s.inspBase(p, "invitations", f), Counts: counts, Deliveries: log})
}
