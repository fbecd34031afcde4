package server

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// dashHead is what every dashboard page shows above and below its content:
// the period and filter form, and the method settings the figures used.
type dashHead struct {
	Period   *survey.Period
	Periods  []*survey.Period // open and closed periods, for the selector
	Filter   dashFilter
	Keep     string // the filters as a query, for links and chart URLs
	Settings []setting
	MinGroup int
	// Decisions counts the exclusion decisions in force: every response
	// counts except those they leave out (spi-method §6).
	Decisions int
	Types     []string
	TypeName  map[string]string
	Wide      bool   // the caller sees every unit (not a viewer)
	Analyst   bool   // the caller may export answers and decide on flags
	To        string // this page below /dash/{period}, for the filter form
}

// head builds the common part of a dashboard page.
func (s *Server) head(c *gin.Context, r *results.Period, f dashFilter) (dashHead, error) {
	ps, err := s.store.Periods(c.Request.Context())
	if err != nil {
		return dashHead{}, err
	}
	ps = slices.DeleteFunc(ps, func(p *survey.Period) bool { return p.Status == survey.StatusDraft })
	tr := s.tr(c)
	h := dashHead{Period: r.Period, Periods: ps, Filter: f, Keep: f.keep(), Settings: settingsView(tr, r.Results.Settings),
		MinGroup: r.Results.Settings.MinGroup, Decisions: activeDecisions(r), Types: analysis.Types(),
		TypeName: map[string]string{}, Wide: true, Analyst: true}
	h.To = strings.TrimPrefix(c.Request.URL.Path, "/dash/"+r.Period.Code)
	for _, t := range h.Types {
		h.TypeName[t] = typeName(tr, t)
	}
	if u := currentUser(c); u != nil {
		h.Wide = u.HasRole(roleAnalyst, roleInspector)
		h.Analyst = u.HasRole(roleAnalyst)
	}
	return h, nil
}

// dashIndex sends /dash to the chosen period (?period=), or to the newest
// period that is open or closed.
func (s *Server) dashIndex(c *gin.Context) {
	code := c.Query("period")
	if code == "" {
		ps, err := s.store.Periods(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		code = latestPeriod(ps)
	}
	if code == "" {
		s.message(c, http.StatusOK, "dash.no_period.title", "dash.no_period.body")
		return
	}
	if _, err := s.store.Period(c.Request.Context(), code); err != nil {
		s.fail(c, err)
		return
	}
	f, err := parseFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	to := c.Query("to")
	if !dashPages.MatchString(to) {
		s.fail(c, badParam("to"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/dash/"+url.PathEscape(code)+to+f.keep())
}

// dashPages are the page suffixes the filter form may return to.
var dashPages = regexp.MustCompile(`^(/units(/[A-Za-z0-9_.-]{1,32})?|/heatmap|/quality|/elements/[a-z0-9_]{1,64}|/mcp|/units/[A-Za-z0-9_.-]{1,32}/mcp)?$`)

// latestPeriod is the open period that started last, else the closed one
// that started last; "" when every period is a draft.
func latestPeriod(ps []*survey.Period) string {
	best := (*survey.Period)(nil)
	rank := func(p *survey.Period) int {
		return map[string]int{survey.StatusOpen: 2, survey.StatusClosed: 1}[p.Status]
	}
	for _, p := range ps {
		if rank(p) == 0 {
			continue
		}
		if best == nil || rank(p) > rank(best) || rank(p) == rank(best) && periodStart(p) > periodStart(best) {
			best = p
		}
	}
	if best == nil {
		return ""
	}
	return best.Code
}

// activeDecisions counts a period's decisions in force.
func activeDecisions(r *results.Period) int {
	n := 0
	for _, d := range r.Decisions {
		if d.RevokedAt.IsZero() {
			n++
		}
	}
	return n
}
