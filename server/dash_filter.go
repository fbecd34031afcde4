package server

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/results"
)

// dashFilter is what a dashboard request chose through its query:
// respondent type and the ranking's category, parent and sort order. No
// request chooses which responses count: that is the Inspectorate's recorded
// decisions (spi-method §6), so no caller can ask for two views that differ
// by a few respondents (issue 11).
type dashFilter struct {
	Type     string // "" or a respondent type
	Category string // ranking: a category slug
	Parent   string // ranking: a parent unit code
	Sort     string // ranking: a column, "-" first for descending
}

// sortKeys are the ranking's sort columns.
var sortKeys = []string{"index", "-index", "code", "-code", "name", "-name", "margin", "-margin",
	"internal", "-internal", "external", "-external", "expert", "-expert"}

// parseFilter reads and checks the query; a bad value is a 400 with a message.
func parseFilter(c *gin.Context) (dashFilter, error) {
	f := dashFilter{Type: c.Query("type"), Category: c.Query("category"), Parent: c.Query("parent"), Sort: c.Query("sort")}
	if f.Type != "" && !slices.Contains(analysis.Types(), f.Type) {
		return f, badParam("type")
	}
	// The v1 switch is gone; a bookmark or script that still sends it is
	// told so instead of silently getting other figures than it asked for.
	if _, sent := c.GetQuery("include_flagged"); sent {
		return f, badParam("include_flagged")
	}
	if f.Sort != "" && !slices.Contains(sortKeys, f.Sort) {
		return f, badParam("sort")
	}
	return f, nil
}

// options are the results options of every dashboard request.
func (f dashFilter) options() results.Options { return results.Options{} }

// typeOr is the chosen type, or def when none was chosen.
func (f dashFilter) typeOr(def string) string {
	if f.Type == "" {
		return def
	}
	return f.Type
}

// keep is the query that carries the filters from page to page and into
// chart URLs (the type; lang travels by cookie).
func (f dashFilter) keep(extra ...string) string {
	q := url.Values{}
	if f.Type != "" {
		q.Set("type", f.Type)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] != "" {
			q.Set(extra[i], extra[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// loadResults reads the filters and the period's results from the cache.
func (s *Server) loadResults(c *gin.Context) (*results.Period, dashFilter, bool) {
	f, err := parseFilter(c)
	if err != nil {
		s.fail(c, err)
		return nil, f, false
	}
	r, err := s.results.Get(c.Request.Context(), c.Param("period"), f.options())
	if err != nil {
		s.fail(c, err)
		return nil, f, false
	}
	return r, f, true
}

// unitResult finds a unit's results; a unit outside the period is 404.
func unitResult(res *analysis.Results, code string) (*analysis.UnitResult, error) {
	for i := range res.Units {
		if res.Units[i].Code == code {
			return &res.Units[i], nil
		}
	}
	return nil, fmt.Errorf("server: unit %q in %s: %w", code, res.Period, errNotFound)
}
