package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/results"
	"integritas/survey"
)

// confirmPage says what a bulk send will do before it happens: how many
// messages, to which units, which units have no index or no head e-mail,
// and whether packets are still provisional (sementara) because the period
// is open. Its form repeats the request with confirm=1.
type confirmPage struct {
	inspPage
	Action      string
	Kind        string // "packets" or "reminders"
	Fields      map[string]string
	Count       int
	NoIndex     []string
	NoEmail     []string
	Provisional bool
	Uncovered   []string // units with no packet in the build being sent
	Already     int      // packets already queued or sent, skipped
}

// confirmPacketsSend answers a "send to all unit heads" without confirm=1
// with the confirmation page; it reports whether the send may go ahead.
// It counts what bp would queue, and warns of units the build does not
// cover and of packets already queued or sent (skipped).
func (s *Server) confirmPacketsSend(c *gin.Context, p *survey.Period, lang, mode string, bp bulkPackets) bool {
	if c.PostForm("confirm") == "1" {
		return true
	}
	ctx := c.Request.Context()
	units, err := s.store.Units(ctx, p.ID)
	if err != nil {
		s.fail(c, err)
		return false
	}
	d := confirmPage{inspPage: s.inspBase(p, "packets", formPage{}), Action: inspURL(p, "packets/send"), Kind: "packets",
		Fields: map[string]string{"lang": lang, "mode": mode}, Provisional: p.Status != survey.StatusClosed, Uncovered: bp.Uncovered}
	byCode := map[string]survey.Unit{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	built := map[string]bool{}
	for _, b := range bp.Builds {
		built[b.UnitCode] = true
		u := byCode[b.UnitCode]
		if u.HeadEmail == "" {
			d.NoEmail = append(d.NoEmail, u.Code)
			continue
		}
		done, err := s.store.PacketDelivered(ctx, b.ID, strings.TrimSpace(u.HeadEmail))
		if err != nil {
			s.fail(c, err)
			return false
		}
		if done {
			d.Already++
		} else {
			d.Count++
		}
	}
	if d.Count == 0 && len(d.NoEmail) == 0 {
		return true // nothing to send: the handler says so
	}
	if res, err := s.results.Get(ctx, p.Code, results.Options{}); err == nil {
		for _, u := range res.Results.Units {
			if u.Index == nil && built[u.Code] {
				d.NoIndex = append(d.NoIndex, u.Code)
			}
		}
	}
	s.render(c, http.StatusOK, "insp_confirm", d)
	return false
}

// confirmRemind answers a reminder to every unit without confirm=1 with the
// confirmation page; it reports whether the reminder may go ahead.
func (s *Server) confirmRemind(c *gin.Context, p *survey.Period, lang string) bool {
	if c.PostForm("unit") != "" || c.PostForm("confirm") == "1" {
		return true
	}
	counts, err := s.store.InvitationCounts(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return false
	}
	d := confirmPage{inspPage: s.inspBase(p, "invitations", formPage{}), Action: inspURL(p, "invitations/remind"), Kind: "reminders",
		Fields: map[string]string{"lang": lang}}
	for _, n := range counts {
		d.Count += n.Mailable
	}
	if d.Count == 0 {
		return true // nothing to remind: the handler says so
	}
	s.render(c, http.StatusOK, "insp_confirm", d)
	return false
}
