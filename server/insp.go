package server

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/mail"
	"integritas/packet"
	"integritas/results"
	"integritas/survey"
)

// inspectorate holds what the inspectorate's pages share: the mailer that
// queues e-mail and the packet build jobs (results come from s.results).
type inspectorate struct {
	mailer  *mail.Mailer
	sending bool // a worker sends the queue; otherwise it waits for `integritas mail send`

	mu   sync.Mutex
	jobs map[string]*buildJob // by period code
}

// buildJob is a "build all packets" run in the background.
type buildJob struct {
	Lang    string
	Done    int
	Total   int
	Err     string
	Running bool
	Started time.Time
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
	s.insp = &inspectorate{mailer: m, sending: m.W != nil, jobs: map[string]*buildJob{}}
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

// inspHome links the sections of a period's inspectorate cycle.
func (s *Server) inspHome(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "insp_home", s.inspBase(p, "home", formPage{}))
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
