package server

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
)

// rankingData is the unit ranking table.
type rankingData struct {
	dashHead
	Rows       []rankRow
	Parents    []unitLink
	Categories []badge
	Shown      []string // respondent types with a score column
	SortLinks  map[string]string
	Total      int
}

type rankRow struct {
	Rank               int
	Code, Name, Parent string
	Index, Margin      fig
	CI                 string
	Category           badge
	Partial            bool
	Review             reviewView
	Flags              []string
	Scores             map[string]fig
	N                  string
}

func (s *Server) dashUnits(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	res := r.Results
	d := rankingData{dashHead: h, Total: len(res.Units), SortLinks: map[string]string{}}
	d.Shown = analysis.Types()
	if f.Type != "" {
		d.Shown = []string{f.Type}
	}
	parents := map[string]bool{}
	for _, u := range res.Units {
		if u.Parent != "" {
			parents[u.Parent] = true
		}
	}
	for _, u := range res.Units {
		if parents[u.Code] {
			d.Parents = append(d.Parents, unitLink{u.Code, u.Name})
		}
	}
	for i := len(res.Settings.Categories.Bands) - 1; i >= 0; i-- {
		d.Categories = append(d.Categories, category(tr, res.Settings, res.Settings.Categories.Bands[i].Slug))
	}
	units := make([]*analysis.UnitResult, 0, len(res.Units))
	for i := range res.Units {
		u := &res.Units[i]
		switch {
		case f.Category == "none" && u.Index != nil, f.Category != "" && f.Category != "none" && u.Category != f.Category:
			continue
		case f.Parent != "" && u.Parent != f.Parent && u.Code != f.Parent:
			continue
		}
		units = append(units, u)
	}
	sortUnits(units, f.Sort)
	for i, u := range units {
		row := rankRow{Rank: i + 1, Code: u.Code, Name: u.Name, Parent: u.Parent, Index: indexFigure(tr, u), Review: review(tr, u),
			Margin: figure(tr, u.Margin, 2, ""), CI: ciText(tr, u.CI), Category: category(tr, res.Settings, u.Category),
			Partial: u.Partial, Flags: flagNames(tr, u.Flags), Scores: map[string]fig{}}
		n := 0
		for _, t := range d.Shown {
			row.Scores[t] = fig{Reason: tr.T("dash.no_respondents")}
			if c := u.Components[t]; c != nil {
				row.Scores[t] = figure(tr, c.Score, 2, c.Suppression)
			}
		}
		for _, rc := range u.ResponseCounts {
			n += rc.Included
		}
		row.N = tr.Num(float64(n), 0)
		d.Rows = append(d.Rows, row)
	}
	for _, k := range []string{"index", "code", "name", "margin", "internal", "external", "expert"} {
		dir := k
		if f.Sort == k || (f.Sort == "" && k == "index") {
			dir = "-" + k
		}
		d.SortLinks[k] = "/dash/" + r.Period.Code + "/units" + f.keep("category", f.Category, "parent", f.Parent, "sort", dir)
	}
	s.render(c, http.StatusOK, "dash_units", d)
}

// sortUnits orders the ranking; suppressed figures always come last. The
// default is the index, highest first.
func sortUnits(units []*analysis.UnitResult, key string) {
	if key == "" {
		key = "-index"
	}
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	value := func(u *analysis.UnitResult) *float64 {
		switch key {
		case "index":
			return u.Index
		case "margin":
			return u.Margin
		}
		if c := u.Components[key]; c != nil {
			return c.Score
		}
		return nil
	}
	slices.SortStableFunc(units, func(a, b *analysis.UnitResult) int {
		var o int
		switch key {
		case "code":
			o = cmp.Compare(a.Code, b.Code)
		case "name":
			o = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		default:
			va, vb := value(a), value(b)
			switch {
			case va == nil && vb == nil:
				return cmp.Compare(a.Code, b.Code)
			case va == nil:
				return 1
			case vb == nil:
				return -1
			}
			o = cmp.Compare(*va, *vb)
		}
		if desc {
			o = -o
		}
		return cmp.Or(o, cmp.Compare(a.Code, b.Code))
	})
}
