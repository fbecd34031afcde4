package packet

import (
	"fmt"
	"sort"
	"strings"

	"integritas/analysis"
	"integritas/survey"
)

// responseRate compares responses with the sample each type needs.
func (s *Source) responseRate(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.response"), title: t.T("packet.response.title"),
		intro:  t.T("packet.response.intro", "Margin", t.Num(s.Current.Results.Settings.TargetMargin, 1)),
		head:   []string{t.T("packet.col.type"), t.T("packet.col.received"), t.T("packet.col.included"), t.T("packet.col.population"), t.T("packet.col.required"), t.T("packet.col.rate")},
		widths: []float64{1.4, 0.9, 0.9, 0.9, 0.9, 0.9}}
	for _, typ := range analysis.Types() {
		rc, ok := u.ResponseCounts[typ]
		if !ok {
			continue
		}
		rec, inc := rc.Received, rc.Included
		rate := txt(f.dash)
		if rc.Required != nil && *rc.Required > 0 {
			v := float64(inc) / float64(*rc.Required)
			rate = f.share(&v)
		}
		tb.rows = append(tb.rows, []cell{txt(f.typeName(typ)), f.count(&rec), f.count(&inc), f.count(rc.Population), f.count(rc.Required), rate})
	}
	return tb
}

// trend lists the unit's index in every period and the change since the last.
func (s *Source) trend(code string, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.trend"), title: t.T("packet.trend.title"),
		head:   []string{t.T("packet.col.period"), t.T("packet.col.index"), t.T("packet.col.category"), t.T("packet.col.ci"), t.T("packet.col.city")},
		widths: []float64{1.4, 0.8, 1, 1.2, 0.8}}
	for _, p := range s.history(code) {
		idx := p.unit.Index
		if p.unit.Suppressed {
			idx = nil
		}
		cat := f.dash
		if idx != nil {
			cat = f.category(p.unit.CategoryLabel)
		}
		tb.rows = append(tb.rows, []cell{txt(p.period), f.score(idx), txt(cat), f.ci(p.unit.CI, false), f.score(p.city)})
	}
	ch, ok := s.changes[code]
	if !ok {
		tb.notes = append(tb.notes, t.T("packet.trend.first"))
		return tb
	}
	tb.notes = append(tb.notes, f.change(t.T("packet.trend.index_change"), ch.Index))
	for _, typ := range analysis.Types() {
		if d := ch.Components[typ]; d != nil {
			tb.notes = append(tb.notes, f.change(f.typeName(typ), *d))
		}
	}
	return tb
}

// change describes a difference between two periods in one line.
func (f fmtr) change(what string, d analysis.Difference) string {
	t := f.t
	if d.Suppressed || d.Diff == nil {
		return t.T("packet.trend.change_suppressed", "What", what)
	}
	ci, p := f.dash, f.dash
	if d.CI != nil {
		ci = t.Num(d.CI[0], 2) + " – " + t.Num(d.CI[1], 2)
	}
	if d.P != nil {
		p = t.Num(*d.P, 3)
	}
	diff := t.Num(*d.Diff, 2)
	if *d.Diff > 0 {
		diff = "+" + diff
	}
	return t.T("packet.trend.change", "What", what, "Diff", diff, "CI", ci, "P", p)
}

// correction lists the correction-factor items with their evidence.
func (s *Source) correction(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.correction"), title: t.T("packet.correction.title"), intro: t.T("packet.correction.intro"),
		head:   []string{t.T("packet.col.kind"), t.T("packet.col.points"), t.T("packet.col.reason"), t.T("packet.col.evidence")},
		widths: []float64{1.2, 0.6, 2.2, 2.2}, empty: t.T("packet.correction.none")}
	for _, c := range u.Correction.Items {
		pts := c.Points
		tb.rows = append(tb.rows, []cell{txt(t.T("packet.kind." + c.Kind)), f.score(&pts), txt(c.Reason), txt(c.Evidence)})
	}
	tb.notes = append(tb.notes, t.T("packet.correction.total", "Total", t.Num(u.Correction.Total, 2),
		"Applied", t.Num(u.Correction.Points, 2), "Cap", t.Num(s.Current.Results.Settings.CorrectionCap, 2)))
	return tb
}

// method states the settings the figures were computed with.
func (s *Source) method(u *analysis.UnitResult, f fmtr) table {
	t := f.t
	st := s.Current.Results.Settings
	var bands []string
	for i, b := range st.Categories.Bands {
		name := f.category(&b.Label)
		switch {
		case i == 0 && len(st.Categories.Bands) > 1:
			bands = append(bands, name+" < "+t.Num(st.Categories.Bands[1].From, 1))
		case i == 0:
			bands = append(bands, name)
		default:
			bands = append(bands, name+" ≥ "+t.Num(b.From, 1))
		}
	}
	var weights []string
	for _, typ := range analysis.Types() {
		if w, ok := st.TypeWeights[typ]; ok {
			weights = append(weights, f.typeName(typ)+" "+t.Num(w, 2))
		}
	}
	if len(weights) == 0 {
		weights = []string{t.T("packet.method.equal")}
	}
	elemW := t.T("packet.method.instrument_weights")
	if len(st.ElementWeights) > 0 {
		var ws []string
		codes := make([]string, 0, len(st.ElementWeights))
		for c := range st.ElementWeights {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			ws = append(ws, f.element(c)+" "+t.Num(st.ElementWeights[c], 2))
		}
		elemW = strings.Join(ws, ", ")
	}
	q := u.Quality
	kv := [][2]string{
		{t.T("review.settings.method"), st.Method},
		{t.T("packet.method.categories"), strings.Join(bands, "; ")},
		{t.T("packet.method.min_group"), fmt.Sprint(st.MinGroup)},
		{t.T("packet.method.type_weights"), strings.Join(weights, ", ")},
		{t.T("packet.method.element_weights"), elemW},
		{t.T("packet.method.weighting"), t.T("packet.method.weighting." + st.Weighting)},
		{t.T("packet.method.correction_cap"), t.Num(st.CorrectionCap, 1)},
		{t.T("packet.method.target_margin"), t.Num(st.TargetMargin, 1)},
		{t.T("packet.method.max_margin"), t.Num(st.MaxMargin, 1)},
		{t.T("packet.method.hot_spot_share"), t.Num(100*st.HotSpotShare, 0) + " %"},
		{t.T("review.settings.flagged"), t.T("review.settings.flagged_value")},
		{t.T("packet.method.quality"), t.T("packet.method.quality_counts", "Responses", q.Responses, "Flagged", q.Flagged, "Excluded", q.Excluded)},
	}
	tb := table{sheet: t.T("packet.sheet.method"), title: t.T("packet.method.title"), intro: t.T("packet.method.intro"),
		head: []string{t.T("packet.col.setting"), t.T("packet.col.value")}, widths: []float64{1.2, 2}}
	for _, p := range kv {
		tb.rows = append(tb.rows, []cell{txt(p[0]), txt(p[1])})
	}
	return tb
}

// lastFollowUp shows the status of last period's action plans.
func (s *Source) lastFollowUp(code string, f fmtr) table {
	t := f.t
	tb := table{sheet: t.T("packet.sheet.last_followup"), title: t.T("packet.last_followup.title"),
		head:   []string{t.T("packet.col.element"), t.T("packet.col.action"), t.T("packet.col.owner"), t.T("packet.col.due"), t.T("packet.col.status"), t.T("packet.col.evidence")},
		widths: []float64{1.2, 2, 1, 0.9, 0.9, 1.6}, empty: t.T("packet.last_followup.none")}
	for _, a := range s.FollowUp[code] {
		tb.rows = append(tb.rows, []cell{txt(f.element(a.Element)), txt(a.Action), txt(a.Owner), txt(a.DueDate), txt(t.T("packet.status." + a.Status)), txt(a.Evidence)})
	}
	return tb
}

// followUpForm is the rencana aksi table: one row per risk element, to fill
// in. The workbook's copy carries the codes that make it uploadable.
func (s *Source) followUpForm(u *analysis.UnitResult, f fmtr) (pdf, xlsx table) {
	t := f.t
	pdf = table{title: t.T("packet.followup.title"), intro: t.T("packet.followup.intro"),
		head:   []string{t.T("packet.col.no"), t.T("packet.col.element"), t.T("packet.col.action"), t.T("packet.col.owner"), t.T("packet.col.due"), t.T("packet.col.status"), t.T("packet.col.evidence")},
		widths: []float64{0.35, 1.3, 2.2, 1, 0.9, 0.8, 1.5}, empty: t.T("packet.risks.none")}
	xlsx = table{sheet: t.T("packet.sheet.followup"), title: pdf.title, intro: t.T("packet.followup.intro_xlsx", "Statuses", strings.Join(survey.ActionStatuses, ", ")),
		head: PlanColumns(t.T), widths: []float64{0.8, 1, 1.4, 3, 2.4, 1.2, 1, 1, 2}}
	for i, re := range u.RiskElements {
		pdf.rows = append(pdf.rows, []cell{txt(fmt.Sprint(i + 1)), txt(f.element(re.Element)), txt(""), txt(""), txt(""), txt(""), txt("")})
		xlsx.rows = append(xlsx.rows, []cell{txt(u.Code), txt(re.Element), txt(f.element(re.Element)), txt(f.recommendation(re.Element)),
			txt(""), txt(""), txt(""), txt(""), txt("")})
	}
	return pdf, xlsx
}

// PlanColumns are the headers of the returned rencana aksi sheet, in order:
// unit code, element code, element, recommendation, action, owner, due date
// (YYYY-MM-DD), status code, evidence note.
func PlanColumns(T func(string, ...any) string) []string {
	return []string{T("packet.col.unit_code"), T("packet.col.element_code"), T("packet.col.element"), T("packet.col.recommendation"),
		T("packet.col.action"), T("packet.col.owner"), T("packet.col.due_iso"), T("packet.col.status_code"), T("packet.col.evidence")}
}
