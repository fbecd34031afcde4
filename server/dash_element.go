package server

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"integritas/analysis"
	"integritas/survey"
)

// elementData is one element across every unit.
type elementData struct {
	dashHead
	Code, Name, Description string
	Elements                []unitLink // every element, for the switcher
	Shown                   []string   // types answering the element
	City                    map[string]fig
	Rows                    []elementUnitRow
}

type elementUnitRow struct {
	Code, Name string
	Scores     map[string]fig
	CIs        map[string]string
	Ns         map[string]string
	Below      map[string]bool
}

func (s *Server) dashElement(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	inst, code := r.Period.Instrument, c.Param("element")
	el, found := inst.Element(code)
	if !found {
		s.fail(c, fmt.Errorf("server: element %q: %w", code, errNotFound))
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	tr := s.tr(c)
	lang, res := tr.Lang(), r.Results
	d := elementData{dashHead: h, Code: code, Name: el.Name.In(lang), Description: el.Description.In(lang), City: map[string]fig{}}
	for _, e := range inst.Elements {
		d.Elements = append(d.Elements, unitLink{e.Code, e.Name.In(lang)})
	}
	for _, t := range analysis.Types() {
		if f.Type != "" && t != f.Type {
			continue
		}
		answers := slices.ContainsFunc(inst.ItemsFor(t), func(it survey.Item) bool { return it.Element == code })
		if !answers {
			continue
		}
		d.Shown = append(d.Shown, t)
		d.City[t] = hidden(tr)
		if cc := res.City.Pooled.Components[t]; cc != nil && cc.Elements[code] != nil {
			d.City[t] = figure(tr, cc.Elements[code].Score, 2, cc.Elements[code].Suppression)
		}
	}
	for _, u := range res.Units {
		row := elementUnitRow{Code: u.Code, Name: u.Name, Scores: map[string]fig{}, CIs: map[string]string{}, Ns: map[string]string{}, Below: map[string]bool{}}
		for _, t := range d.Shown {
			row.Scores[t] = hidden(tr)
			comp := u.Components[t]
			if comp == nil || comp.Elements[code] == nil {
				continue
			}
			e := comp.Elements[code]
			reason := e.Suppression
			if comp.Suppressed && reason == "" {
				reason = comp.Suppression
			}
			row.Scores[t], row.CIs[t] = figure(tr, e.Score, 2, reason), ciText(tr, e.CI)
			if e.N != nil {
				row.Ns[t] = tr.Num(float64(*e.N), 0)
			}
			if cc := res.City.Pooled.Components[t]; cc != nil && cc.Elements[code] != nil && cc.Elements[code].Score != nil && e.CI != nil {
				row.Below[t] = e.CI[1] < *cc.Elements[code].Score
			}
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(c, http.StatusOK, "dash_element", d)
}

// heatmapData is the page around the units × elements heatmap.
type heatmapData struct {
	dashHead
	Type string
	PNG  string
	SVG  string
}

func (s *Server) dashHeatmap(c *gin.Context) {
	r, f, ok := s.loadResults(c)
	if !ok {
		return
	}
	h, err := s.head(c, r, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	t := f.typeOr(analysis.Internal)
	q := f.keep("type", t)
	base := "/charts/" + r.Period.Code + "/heatmap"
	s.render(c, http.StatusOK, "dash_heatmap", heatmapData{dashHead: h, Type: t, PNG: base + ".png" + q, SVG: base + ".svg" + q})
}
