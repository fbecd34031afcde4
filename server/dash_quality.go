package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// qualityPageSize bounds the flagged responses listed per page.
const qualityPageSize = 100

// qualityData is the data-quality page: the units under review with their
// coached clusters, the recorded decisions, and the flagged responses.
type qualityData struct {
	dashHead
	Summary    qualityView
	Reviews    []reviewCard
	Decisions  []decisionRow
	Units      []unitLink
	Flags      []setting // flag code → name, for the exclude-flag form
	Rows       []flaggedRow
	Total      int
	Page, Last int
	PrevURL    string
	NextURL    string
	Closed     bool            // decisions are locked
	Decide     bool            // the caller may record decisions (inspector, admin)
	Open       *openLinkReport // open-link submissions stored, flagged, capped, refused (open_report.go)
}

// reviewCard is a unit with flagged coached clusters.
type reviewCard struct {
	Code, Name string
	Status     reviewView
	Clusters   []clusterRow
}

type clusterRow struct {
	ID, Type, Decision string
	Evidence           string
	Pending            bool
}

type decisionRow struct {
	ID                           int64
	Unit, Type, What, Reason, By string
	At, Revoked                  string
	Removed                      string // responses it removes now
	Active                       bool
}

type flaggedRow struct {
	ID             int64
	Unit, UnitName string
	Type           string
	Reasons        []string
	ExcludedBy     int64 // the decision leaving it out, 0 when it counts
	Duplicate      bool
}

func (s *Server) dashQuality(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	flags, err := s.quality.flags(r)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	d := qualityData{dashHead: h, Summary: quality(tr, r.Results.City.Quality), Closed: r.Period.Status == survey.StatusClosed,
		Decide: currentUser(c).HasRole(roleInspector)}
	for _, u := range r.Results.Units {
		d.Units = append(d.Units, unitLink{u.Code, u.Name})
		if card, ok := reviewOf(tr, &u); ok {
			d.Reviews = append(d.Reviews, card)
		}
	}
	for _, code := range survey.DecisionFlags {
		d.Flags = append(d.Flags, setting{Name: code, Value: tr.T("dash.quality.flag." + code)})
	}
	d.Decisions = decisionRows(tr, r)
	s.flaggedPage(c, tr, r, f, flags, &d)
	if d.Open, err = s.openLinkReport(c.Request.Context(), r); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "dash_quality", d)
}

// reviewOf is a unit's review card, when it has flagged clusters or is withheld.
func reviewOf(tr translator, u *analysis.UnitResult) (reviewCard, bool) {
	card := reviewCard{Code: u.Code, Name: u.Name, Status: review(tr, u)}
	for _, cl := range u.Quality.Clusters {
		if !cl.Flagged {
			continue
		}
		card.Clusters = append(card.Clusters, clusterRow{ID: cl.ID, Type: typeName(tr, cl.Type), Pending: cl.Decision == analysis.ClusterPending,
			Decision: tr.T("review.cluster." + clusterDecision(cl.Decision)),
			Evidence: tr.T("review.cluster.evidence", "Size", cl.Size, "Responses", cl.Responses, "Window", cl.WindowHours,
				"Baseline", tr.Num(cl.Baseline, 1), "First", cl.First.UTC().Format("2006-01-02 15:00"), "Last", cl.Last.UTC().Format("2006-01-02 15:00"))})
	}
	return card, len(card.Clusters) > 0 || u.Review.Withheld
}

// clusterDecision names a cluster's decision state for its message key.
func clusterDecision(d string) string {
	if d == analysis.ClusterPending {
		return "pending"
	}
	return d
}

// decisionRows lists every decision, newest first, with what it removes now.
func decisionRows(tr translator, r *results.Period) []decisionRow {
	removed := map[int64]int{}
	for _, u := range r.Results.Units {
		for _, ex := range u.Exclusions {
			removed[ex.ID] += ex.Responses
		}
	}
	out := make([]decisionRow, 0, len(r.Decisions))
	for _, dec := range slices.Backward(r.Decisions) {
		row := decisionRow{ID: dec.ID, Unit: dec.UnitCode, Type: tr.T("dash.filter.all_types"), Reason: dec.Reason, By: dec.DecidedBy,
			At: dec.DecidedAt.UTC().Format("2006-01-02 15:04"), Active: dec.RevokedAt.IsZero(), What: decisionWhat(tr, dec)}
		if dec.Type != "" {
			row.Type = typeName(tr, dec.Type)
		}
		if !row.Active {
			row.Revoked = tr.T("review.decision.revoked", "By", dec.RevokedBy, "At", dec.RevokedAt.UTC().Format("2006-01-02 15:04"), "Why", dec.RevokeReason)
		}
		if dec.Action == survey.DecisionExcludeFlag || dec.Action == survey.DecisionExcludeCluster {
			row.Removed = tr.Num(float64(removed[dec.ID]), 0)
		}
		out = append(out, row)
	}
	return out
}

// decisionWhat says what a decision decided, in the reader's language.
func decisionWhat(tr translator, d survey.Decision) string {
	flag := ""
	if d.Flag != "" {
		flag = tr.T("dash.quality.flag." + d.Flag)
	}
	return tr.T("review.action."+d.Action, "Flag", flag, "Cluster", d.Cluster, "Points", tr.Num(d.Points, 2))
}

// flaggedPage fills one page of the flagged responses, narrowed by the type
// filter and ?unit=.
func (s *Server) flaggedPage(c *gin.Context, tr translator, r *results.Period, f dashFilter, flags map[int64][]analysis.Flag, d *qualityData) {
	byID := make(map[int64]*analysis.Response, len(flags))
	for i := range r.Input.Responses {
		if _, ok := flags[r.Input.Responses[i].ID]; ok {
			byID[r.Input.Responses[i].ID] = &r.Input.Responses[i]
		}
	}
	unit := c.Query("unit")
	ids := make([]int64, 0, len(flags))
	for id := range flags {
		resp := byID[id]
		if resp == nil || f.Type != "" && resp.Type != f.Type || unit != "" && resp.Unit != unit {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	last := max(1, (len(ids)+qualityPageSize-1)/qualityPageSize)
	page = min(max(page, 1), last)
	d.Total, d.Page, d.Last = len(ids), page, last
	base := "/dash/" + r.Period.Code + "/quality"
	if page > 1 {
		d.PrevURL = base + f.keep("unit", unit, "page", strconv.Itoa(page-1))
	}
	if page < last {
		d.NextURL = base + f.keep("unit", unit, "page", strconv.Itoa(page+1))
	}
	names := map[string]string{}
	for _, u := range r.Units {
		names[u.Code] = u.Name
	}
	for _, id := range ids[(page-1)*qualityPageSize : min(len(ids), page*qualityPageSize)] {
		resp := byID[id]
		row := flaggedRow{ID: id, Unit: resp.Unit, UnitName: names[resp.Unit], Type: typeName(tr, resp.Type),
			ExcludedBy: r.ExcludedBy(resp, flags[id])}
		for _, fl := range flags[id] {
			row.Reasons = append(row.Reasons, flagReason(tr, fl))
			row.Duplicate = row.Duplicate || fl.Code == analysis.FlagDuplicate
		}
		d.Rows = append(d.Rows, row)
	}
}

// flagReason explains a data-quality flag from its evidence, in the reader's language.
func flagReason(tr translator, f analysis.Flag) string {
	return tr.T("dash.quality.reason."+f.Code, "Value", tr.Num(f.Value, 0), "Threshold", tr.Num(f.Threshold, 0),
		"Related", strconv.FormatInt(f.Related, 10))
}
