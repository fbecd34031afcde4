package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
)

// qualityPageSize bounds the flagged responses listed per page.
const qualityPageSize = 100

// qualityData is the data-quality page.
type qualityData struct {
	dashHead
	Summary    qualityView
	Rows       []flaggedRow
	Total      int
	Page, Last int
	PrevURL    string
	NextURL    string
	Closed     bool            // decisions are locked
	Open       *openLinkReport // open-link submissions stored, flagged, capped, refused (open_report.go)
}

type flaggedRow struct {
	ID             int64
	Unit, UnitName string
	Type           string
	Reasons        []string
	Decision       string // "include", "exclude" or "" (the period's default)
	DecidedBy      string
	Note           string
	Included       bool
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
	decisions, err := s.store.Decisions(c.Request.Context(), r.Period.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	types := make(map[int64]*analysis.Response, len(flags))
	for i := range r.Input.Responses {
		if _, ok := flags[r.Input.Responses[i].ID]; ok {
			types[r.Input.Responses[i].ID] = &r.Input.Responses[i]
		}
	}
	// The type filter and ?unit= narrow the list.
	unit := c.Query("unit")
	ids := make([]int64, 0, len(flags))
	for id := range flags {
		resp := types[id]
		if resp == nil || f.Type != "" && resp.Type != f.Type || unit != "" && resp.Unit != unit {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	last := max(1, (len(ids)+qualityPageSize-1)/qualityPageSize)
	page = min(max(page, 1), last)
	d := qualityData{dashHead: h, Summary: quality(tr, r.Results.City.Quality), Total: len(ids), Page: page, Last: last,
		Closed: r.Period.Status == "closed"}
	base := "/dash/" + r.Period.Code + "/quality"
	if page > 1 {
		d.PrevURL = base + f.keep("unit", unit, "page", strconv.Itoa(page-1))
	}
	if page < last {
		d.NextURL = base + f.keep("unit", unit, "page", strconv.Itoa(page+1))
	}
	if d.Open, err = s.openLinkReport(c.Request.Context(), r); err != nil {
		s.fail(c, err)
		return
	}
	byID := types
	names := map[string]string{}
	for _, u := range r.Units {
		names[u.Code] = u.Name
	}
	for _, id := range ids[(page-1)*qualityPageSize : min(len(ids), page*qualityPageSize)] {
		resp := byID[id]
		row := flaggedRow{ID: id, Unit: resp.Unit, UnitName: names[resp.Unit], Type: typeName(tr, resp.Type),
			Included: r.Results.Settings.IncludeFlagged}
		for _, fl := range flags[id] {
			row.Reasons = append(row.Reasons, flagReason(tr, fl))
		}
		if dec, ok := decisions[id]; ok {
			row.Decision, row.DecidedBy, row.Note, row.Included = "exclude", dec.DecidedBy, dec.Note, dec.Include
			if dec.Include {
				row.Decision = "include"
			}
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(c, http.StatusOK, "dash_quality", d)
}

// flagReason explains a data-quality flag from its evidence, in the reader's language.
func flagReason(tr translator, f analysis.Flag) string {
	return tr.T("dash.quality.reason."+f.Code, "Value", tr.Num(f.Value, 0), "Threshold", tr.Num(f.Threshold, 0),
		"Related", strconv.FormatInt(f.Related, 10))
}
