package server

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/mail"
	"integritas/packet"
	"integritas/results"
	"integritas/survey"
)

// inspectorate holds what the inspectorate's pages share: the mailer that
// queues e-mail (results come from s.results; packet build jobs live in
// the store).
type inspectorate struct {
	mailer  *mail.Mailer
	sending bool // a worker sends the queue; otherwise it waits for `integritas mail send`

	packetSaved func(unit string) // tests only: told after each stored packet of a build
}

// linkTTL is how long a packet download link works.
const linkTTL = 14 * 24 * time.Hour

// initInspectorate wires the mail queue: o.Mail when given (serve passes one
// whose worker sends), else a mailer whose messages wait in the queue.
func (s *Server) initInspectorate(o Options) error {
	m := o.Mail
	if m == nil {
		c, err := mail.NewComposer(o.Assets, s.bundle, o.Config.Inspectorate)
		if err != nil {
			return err
		}
		m = &mail.Mailer{St: o.Store, C: c, BaseURL: o.Config.BaseURL}
	}
	s.insp = &inspectorate{mailer: m, sending: m.W != nil}
	// A build job still "running" was started by a server that is gone
	// (killed, restarted): it shows as interrupted, to resume.
	n, err := o.Store.InterruptPacketJobs(context.Background())
	if err != nil {
		return err
	}
	if n > 0 {
		s.log.Warn("packet builds interrupted by the last stop; resume them on the packets page", "builds", n)
	}
	return nil
}

// packetSource prepares a period's packets from the cached results.
func (s *Server) packetSource(ctx context.Context, code string) (*packet.Source, error) {
	get := func(ctx context.Context, code string) (*results.Period, error) {
		return s.results.Get(ctx, code, results.Options{})
	}
	h, err := results.LoadHistory(ctx, s.store, get, code)
	if err != nil {
		return nil, err
	}
	return packet.NewSource(h, s.bundle, s.org(ctx), s.now())
}

// inspURL is a page of the inspectorate's area for a period.
func inspURL(p *survey.Period, page string) string {
	u := "/inspectorate/" + url.PathEscape(p.Code)
	if page != "" {
		u += "/" + page
	}
	return u
}

// redirectDone goes back to a page with a notice word.
func redirectDone(c *gin.Context, to, done string) {
	c.Redirect(http.StatusSeeOther, to+"?done="+url.QueryEscape(done))
}

// inspPage is what every inspectorate page shares.
type inspPage struct {
	formPage
	Period   *survey.Period
	Section  string
	Sections []string
	Sending  bool
}

// inspSections are the pages of the cycle, in the order of the work.
var inspSections = []string{"roster", "sampling", "invitations", "whatsapp", "openlinks", "preview", "corrections", "packets", "followup", "mcp"}

func (s *Server) inspBase(p *survey.Period, section string, f formPage) inspPage {
	return inspPage{formPage: f, Period: p, Section: section, Sections: inspSections, Sending: s.insp.sending}
}

// inspHomePage is the cycle's start page, with any open-link spike alert.
type inspHomePage struct {
	inspPage
	Spikes []string
}

// inspHome links the sections of a period's inspectorate cycle.
func (s *Server) inspHome(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "insp_home", inspHomePage{inspPage: s.inspBase(p, "home", formPage{}), Spikes: s.spikeAlerts(c, p)})
}

// inspIndex lists the periods, each leading to its cycle.
func (s *Server) inspIndex(c *gin.Context) {
	ps, err := s.store.Periods(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "insp_index", ps)
}
