package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// maxNoteLen bounds the reason of a decision, in characters.
const maxNoteLen = 500

// inspDecision records the Inspectorate's decision about a unit's flagged
// responses (spi-method §6): keep a coached cluster's answers, exclude the
// cluster, exclude one flag type (optionally of one respondent type), enter
// a survey-integrity correction, or withhold the unit's index. The store
// audits it in the same transaction; the results recompute on the next
// request (the decision changes the data version).
func (s *Server) inspDecision(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	d := survey.Decision{PeriodID: p.ID, UnitCode: c.PostForm("unit"), Type: c.PostForm("type"), Action: c.PostForm("action"),
		Flag: c.PostForm("flag"), Cluster: c.PostForm("cluster"), Reason: strings.TrimSpace(c.PostForm("reason")),
		DecidedBy: currentUser(c).Email}
	if err := checkDecision(&d, c.PostForm("points")); err != nil {
		s.fail(c, err)
		return
	}
	if d.Cluster != "" {
		if err := s.flaggedCluster(c, p.Code, d.UnitCode, d.Cluster); err != nil {
			s.fail(c, err)
			return
		}
	}
	if _, err := s.store.AddDecision(c.Request.Context(), d); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, qualityURL(p.Code, d.UnitCode))
}

// inspDecisionRevoke ends a decision in force, with the reason, audited.
func (s *Server) inspDecisionRevoke(c *gin.Context) {
	p, ok := s.loadPeriod(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, errNotFound)
		return
	}
	why := strings.TrimSpace(c.PostForm("reason"))
	if why == "" || utf8.RuneCountInString(why) > maxNoteLen {
		s.fail(c, badParam("reason"))
		return
	}
	if err := s.store.RevokeDecision(c.Request.Context(), p.ID, id, currentUser(c).Email, why); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, qualityURL(p.Code, ""))
}

// flaggedCluster checks that a decision names a flagged coached cluster of
// its unit as the figures show it now: a decision about anything else would
// be recorded but decide nothing.
func (s *Server) flaggedCluster(c *gin.Context, period, unit, id string) error {
	r, err := s.results.Get(c.Request.Context(), period, results.Options{})
	if err != nil {
		return err
	}
	u, err := unitResult(r.Results, unit)
	if err != nil {
		return err
	}
	for _, cl := range u.Quality.Clusters {
		if cl.Flagged && cl.ID == id {
			return nil
		}
	}
	return badParam("cluster")
}

// checkDecision validates a decision form; each refusal names its field.
func checkDecision(d *survey.Decision, points string) error {
	if !slices.Contains(survey.DecisionActions, d.Action) {
		return badParam("action")
	}
	if d.UnitCode == "" || len(d.UnitCode) > 32 {
		return badParam("unit")
	}
	if d.Type != "" && !slices.Contains(analysis.Types(), d.Type) {
		return badParam("type")
	}
	if d.Reason == "" || utf8.RuneCountInString(d.Reason) > maxNoteLen {
		return badParam("reason")
	}
	if len(d.Cluster) > 64 || d.Cluster != "" && !strings.HasPrefix(d.Cluster, d.UnitCode+"/") {
		return badParam("cluster")
	}
	switch d.Action {
	case survey.DecisionExcludeFlag:
		if !slices.Contains(survey.DecisionFlags, d.Flag) {
			return badParam("flag")
		}
		d.Cluster = ""
	case survey.DecisionExcludeCluster, survey.DecisionKeep:
		if d.Cluster == "" {
			return badParam("cluster")
		}
		d.Flag = ""
	case survey.DecisionCorrection:
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(points), ",", "."), 64)
		if err != nil || !(v > 0 && v <= 100) { // written so that NaN fails too
			return badParam("points")
		}
		d.Points, d.Flag = v, ""
	default:
		d.Flag = ""
	}
	return nil
}

// qualityURL is the data-quality page, at a unit's part when given.
func qualityURL(period, unit string) string {
	u := "/dash/" + url.PathEscape(period) + "/quality"
	if unit != "" {
		u += "#review-" + url.PathEscape(unit)
	}
	return u
}
