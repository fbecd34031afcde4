package packet

import (
	"strings"

	"integritas/analysis"
	"integritas/export"
)

func (s *Source) k() int { return s.Current.Results.Settings.MinGroup }

// summary is the unit's index, category, interval and margin beside the city.
func (s *Source) summary(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	city := s.Current.Results.City
	var flags []string
	for _, fl := range u.Flags {
		flags = append(flags, t.T("packet.flag."+fl))
	}
	if len(flags) == 0 {
		flags = []string{f.dash}
	}
	var margin cell
	if u.Margin != nil {
		margin = f.score(u.Margin)
		margin.text = "± " + margin.text
	} else {
		margin = txt(f.dash)
	}
	correction := u.Correction.Points
	rows := [][]cell{
		{txt(t.T("packet.summary.unit")), txt(u.Name + " (" + u.Code + ")")},
		{txt(t.T("packet.summary.period")), txt(s.Current.Period.Name)},
		{txt(t.T("packet.summary.index")), indexCell(u, f)},
		{txt(t.T("packet.summary.category")), categoryCell(u, f)},
		{txt(t.T("packet.summary.ci")), f.ci(u.CI, false)},
		{txt(t.T("packet.summary.margin")), margin},
		{txt(t.T("packet.summary.partial")), txt(f.yesNo(u.Partial))},
		{txt(t.T("packet.summary.correction")), f.score(&correction)},
		{txt(t.T("packet.summary.flags")), txt(strings.Join(flags, "; "))},
		{txt(t.T("packet.summary.city_pooled")), f.score(city.Pooled.Index)},
		{txt(t.T("packet.summary.city_mean")), f.score(city.UnitMean.Index)},
	}
	tb := table{sheet: t.T("packet.sheet.summary"), title: t.T("packet.summary.title"), head: []string{t.T("packet.col.item"), t.T("packet.col.value")},
		widths: []float64{1, 1.4}, rows: rows}
	switch {
	case u.Review.Withheld:
		tb.notes = append(tb.notes, t.T("review.withheld.long", "Reason", u.Review.Reason))
	case u.Suppressed || u.Index == nil:
		tb.notes = append(tb.notes, f.suppressedNote(s.k()))
	}
	if u.Review.UnderReview && !u.Review.Withheld {
		tb.notes = append(tb.notes, t.T("review.under_review.long"))
	}
	tb.notes = append(tb.notes, export.ExclusionNotes(t, u.Exclusions)...)
	if u.Partial {
		tb.notes = append(tb.notes, t.T("packet.partial_note"))
	}
	tb.notes = append(tb.notes, t.T("packet.city_note"))
	return tb
}

// components lists the unit's score per respondent type.
func (s *Source) components(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.components"), title: t.T("packet.components.title"), intro: t.T("packet.components.intro"),
		head:   []string{t.T("packet.col.type"), t.T("packet.col.score"), t.T("packet.col.ci"), t.T("packet.col.n"), t.T("packet.col.population"), t.T("packet.col.weight"), t.T("packet.col.city")},
		widths: []float64{1.4, 0.8, 1.2, 0.6, 0.8, 0.7, 0.8}}
	hidden := false
	for _, typ := range analysis.Types() {
		c := u.Components[typ]
		if c == nil {
			continue
		}
		hidden = hidden || c.Suppressed
		w := c.Weight
		var city *float64
		if cc := s.Current.Results.City.Pooled.Components[typ]; cc != nil {
			city = cc.Score
		}
		tb.rows = append(tb.rows, []cell{txt(f.typeName(typ)), f.score(c.Score), f.ci(c.CI, false), f.count(c.N), f.count(c.Population), f.weight(w), f.score(city)})
	}
	if hidden {
		tb.notes = append(tb.notes, f.suppressedNote(s.k()))
	}
	return tb
}

func (f fmtr) weight(w float64) cell {
	return cell{text: f.t.Num(w, 2), num: &w, digits: 2}
}

// elements lists each element's score per type beside the city's.
func (s *Source) elements(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.elements"), title: t.T("packet.elements.title"),
		head:   []string{t.T("packet.col.element"), t.T("packet.col.type"), t.T("packet.col.score"), t.T("packet.col.ci"), t.T("packet.col.n"), t.T("packet.col.city")},
		widths: []float64{2, 1.2, 0.8, 1.2, 0.5, 0.8}}
	hidden := false
	for _, el := range f.inst.Elements {
		for _, typ := range analysis.Types() {
			c := u.Components[typ]
			if c == nil {
				continue
			}
			e := c.Elements[el.Code]
			if e == nil {
				continue
			}
			hidden = hidden || e.Suppressed
			var city *float64
			if cc := s.Current.Results.City.Pooled.Components[typ]; cc != nil && cc.Elements[el.Code] != nil {
				city = cc.Elements[el.Code].Score
			}
			tb.rows = append(tb.rows, []cell{txt(f.element(el.Code)), txt(f.typeName(typ)), f.score(e.Score), f.ci(e.CI, false), f.count(e.N), f.score(city)})
		}
	}
	if hidden {
		tb.notes = append(tb.notes, f.suppressedNote(s.k()))
	}
	return tb
}

// risks lists the risk elements with the instrument's recommendation.
func (s *Source) risks(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.risks"), title: t.T("packet.risks.title"), intro: t.T("packet.risks.intro"),
		head:   []string{t.T("packet.col.element"), t.T("packet.col.types"), t.T("packet.col.reason"), t.T("packet.col.recommendation")},
		widths: []float64{1.2, 1, 1.6, 3.2}, empty: t.T("packet.risks.none")}
	for _, re := range u.RiskElements {
		var why []string
		for _, r := range re.Reasons {
			city := f.dash
			if r.City != nil {
				city = t.Num(*r.City, 2)
			}
			why = append(why, t.T("packet.risk."+r.Reason, "Type", f.typeName(r.Type), "Score", t.Num(r.Score, 2), "High", t.Num(r.CIHigh, 2), "City", city))
		}
		tb.rows = append(tb.rows, []cell{txt(f.element(re.Element)), txt(f.types(re.Types)), txt(strings.Join(why, "; ")), txt(f.recommendation(re.Element))})
	}
	return tb
}

// hotSpots lists the titik rawan.
func (s *Source) hotSpots(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.hotspots"), title: t.T("packet.hotspots.title"), intro: t.T("packet.hotspots.intro"),
		head:   []string{t.T("packet.col.item"), t.T("packet.col.type"), t.T("packet.col.prevalence"), t.T("packet.col.ci"), t.T("packet.col.n"), t.T("packet.col.city")},
		widths: []float64{3, 1, 0.9, 1.3, 0.5, 0.8}, empty: t.T("packet.hotspots.none")}
	for _, h := range u.HotSpots {
		p, n := h.Prevalence, h.N
		ci := h.CI
		tb.rows = append(tb.rows, []cell{txt(f.item(h.Item)), txt(f.typeName(h.Type)), f.share(&p), f.ci(&ci, true), f.count(&n), f.share(h.City)})
	}
	return tb
}

// prevalence lists every experience item's prevalence, suppressed cells as "—".
func (s *Source) prevalence(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.prevalence"), title: t.T("packet.prevalence.title"), intro: t.T("packet.prevalence.intro"),
		head:   []string{t.T("packet.col.item"), t.T("packet.col.type"), t.T("packet.col.prevalence"), t.T("packet.col.ci"), t.T("packet.col.n")},
		widths: []float64{3.4, 1, 0.9, 1.3, 0.5}}
	hidden := false
	for _, p := range u.Prevalence {
		hidden = hidden || p.Suppressed
		tb.rows = append(tb.rows, []cell{txt(f.item(p.Item)), txt(f.typeName(p.Type)), f.share(p.Prevalence), f.ci(p.CI, true), f.count(p.N)})
	}
	if hidden {
		tb.notes = append(tb.notes, f.suppressedNote(s.k()))
	}
	return tb
}

// indexCell is the unit's index, or the word "ditangguhkan" when withheld.
func indexCell(u *analysis.UnitResult, f fmtr) cell {
	if u.Review.Withheld {
		return txt(f.t.T("review.withheld.short"))
	}
	return f.score(u.Index)
}

// categoryCell is the unit's category, or "ditangguhkan" when withheld.
func categoryCell(u *analysis.UnitResult, f fmtr) cell {
	if u.Review.Withheld {
		return txt(f.t.T("review.withheld.short"))
	}
	return txt(f.category(u.CategoryLabel))
}
