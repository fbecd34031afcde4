package packet

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"integritas/analysis"
)

// brief is the page a unit head reads in a minute, after the letter: the
// index on its band scale with the CI, the change since the last period,
// the weakest elements, the hot spots and what is asked of the unit next,
// in plain words. The tables that follow hold the detail.
type brief struct {
	title, lead string
	index       *float64
	ci          *[2]float64
	label       string // the index as printed above its marker
	bands       []briefBand
	from        float64 // left end of the scale
	sections    []briefSection
}

// briefBand is one category band on the scale.
type briefBand struct {
	slug, label string
	from, to    float64
}

// briefSection is a heading with its lines.
type briefSection struct {
	head  string
	lines []string
}

// briefLimit is how many weakest elements and hot spots the page names.
const briefLimit = 3

// brief writes the one-page summary of the unit.
func (s *Source) brief(r *report, f fmtr) brief {
	t, u := r.t, r.unit
	b := brief{title: t.T("outputs.brief.title"), from: 100}
	bands := s.Current.Results.Settings.Categories.Bands
	for i, bd := range bands {
		to := 100.0
		if i+1 < len(bands) {
			to = bands[i+1].From
		}
		b.bands = append(b.bands, briefBand{slug: bd.Slug, label: f.category(&bd.Label), from: bd.From, to: to})
	}
	if len(bands) > 1 {
		b.from = bands[1].From - 10
	}
	if u.Index != nil && !u.Suppressed {
		b.index, b.ci, b.label = u.Index, u.CI, t.Num(*u.Index, 2)
		b.from = math.Min(b.from, *u.Index-5)
		if u.CI != nil {
			b.from = math.Min(b.from, u.CI[0]-3)
		}
		ci := f.dash
		if u.CI != nil {
			ci = t.Num(u.CI[0], 2) + "–" + t.Num(u.CI[1], 2)
		}
		b.lead = t.T("outputs.brief.lead", "Index", b.label, "CI", ci, "Category", f.category(u.CategoryLabel))
	} else {
		b.lead = t.T("outputs.brief.lead_hidden", "K", s.k())
	}
	b.from = math.Max(0, math.Floor(b.from/10)*10)
	b.sections = []briefSection{
		{t.T("outputs.brief.change"), []string{s.briefChange(u, f)}},
		{t.T("outputs.brief.weakest"), s.briefWeakest(u, f)},
		{t.T("outputs.brief.hotspots"), s.briefHotSpots(u, f)},
		{t.T("outputs.brief.asked"), s.briefAsked(u, f)},
	}
	return b
}

// briefChange says how the index moved since the last period.
func (s *Source) briefChange(u *analysis.UnitResult, f fmtr) string {
	t := f.t
	if !s.hasPrev {
		return t.T("outputs.brief.change_first")
	}
	prev := s.prevPeriod
	ch, ok := s.changes[u.Code]
	if !ok || ch.Index.Suppressed || ch.Index.Diff == nil {
		return t.T("outputs.brief.change_none", "Period", prev)
	}
	d := *ch.Index.Diff
	key := "outputs.brief.change_up"
	if d < 0 {
		key = "outputs.brief.change_down"
	}
	// Whether the change is more than chance: its 95 % interval excludes 0.
	sure := "outputs.brief.change_unsure"
	if ci := ch.Index.CI; ci != nil && (ci[0] > 0 || ci[1] < 0) {
		sure = "outputs.brief.change_sure"
	}
	return t.T(key, "Points", t.Num(math.Abs(d), 2), "Period", prev) + " " + t.T(sure)
}

// briefWeakest names the elements with the lowest score of any shown
// respondent type, lowest first, and whether each is a risk element.
func (s *Source) briefWeakest(u *analysis.UnitResult, f fmtr) []string {
	t := f.t
	type weak struct {
		elem, typ string
		score     float64
		order     int
	}
	var ws []weak
	for i, e := range f.inst.Elements {
		w := weak{elem: e.Code, score: math.Inf(1), order: i}
		for _, typ := range analysis.Types() {
			c := u.Components[typ]
			if c == nil || c.Elements[e.Code] == nil || c.Elements[e.Code].Score == nil || c.Elements[e.Code].Suppressed {
				continue
			}
			if sc := *c.Elements[e.Code].Score; sc < w.score {
				w.score, w.typ = sc, typ
			}
		}
		if w.typ != "" {
			ws = append(ws, w)
		}
	}
	slices.SortStableFunc(ws, func(a, b weak) int { return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.order, b.order)) })
	risk := map[string]bool{}
	for _, re := range u.RiskElements {
		risk[re.Element] = true
	}
	var out []string
	for _, w := range ws[:min(briefLimit, len(ws))] {
		key := "outputs.brief.weak"
		if risk[w.elem] {
			key = "outputs.brief.weak_risk"
		}
		out = append(out, t.T(key, "Element", f.element(w.elem), "Score", t.Num(w.score, 2), "Type", f.typeName(w.typ)))
	}
	if len(out) == 0 {
		out = []string{t.T("outputs.brief.weak_none")}
	}
	return out
}

// briefHotSpots names the experience items most often seen or undergone.
func (s *Source) briefHotSpots(u *analysis.UnitResult, f fmtr) []string {
	t := f.t
	hs := slices.Clone(u.HotSpots)
	slices.SortStableFunc(hs, func(a, b analysis.HotSpot) int { return cmp.Compare(b.Prevalence, a.Prevalence) })
	var out []string
	for _, h := range hs[:min(briefLimit, len(hs))] {
		city := f.dash
		if h.City != nil {
			city = t.Num(100**h.City, 1) + " %"
		}
		out = append(out, t.T("outputs.brief.hotspot", "Item", f.item(h.Item), "Share", t.Num(100*h.Prevalence, 1)+" %",
			"Type", f.typeName(h.Type), "City", city))
	}
	if len(out) == 0 {
		out = []string{t.T("outputs.brief.hotspot_none")}
	}
	return out
}

// briefAsked says what the unit is to do next and by when.
func (s *Source) briefAsked(u *analysis.UnitResult, f fmtr) []string {
	t := f.t
	due := s.Date.AddDate(0, 0, 30)
	date := longDate(f, due)
	var names []string
	for _, re := range u.RiskElements {
		names = append(names, f.element(re.Element))
	}
	first := t.T("outputs.brief.ask_none")
	if len(names) > 0 {
		first = t.T("outputs.brief.ask_plan", "N", len(names), "Elements", joinAnd(t.T("outputs.brief.and"), names))
	}
	return []string{first, t.T("outputs.brief.ask_return", "Inspectorate", s.Org.Inspectorate, "Due", date), t.T("outputs.brief.ask_discuss")}
}

// longDate is "22 Desember 2026" in the report's language.
func longDate(f fmtr, d time.Time) string {
	return f.t.T("packet.letter.date", "Day", d.Day(), "Month", f.t.T(fmt.Sprintf("packet.month.%d", int(d.Month()))), "Year", d.Year())
}

// joinAnd joins names as "a, b dan c".
func joinAnd(and string, names []string) string {
	if len(names) < 2 {
		return slices.Concat(names, []string{""})[0]
	}
	out := names[0]
	for _, n := range names[1 : len(names)-1] {
		out += ", " + n
	}
	return out + " " + and + " " + names[len(names)-1]
}
