package analysis

import (
	"math"
	"slices"
)

// unitResult assembles a unit's published figures and the respondent
// component scores of its shown components. The figures of its own cells
// come from the memo when they are unchanged (unitRecall); its quality
// summary, review and tests against the rest of the city are assembled
// every time, since other units' responses change them.
func (r *run) unitResult(u int) (UnitResult, map[string][]float64) {
	ur, scores, ok := r.m.mc.unitRecall(r, u)
	if !ok {
		ur, scores = r.unitCells(u)
		r.m.mc.unitStore(r, u, ur, scores)
	}
	ur.Quality = r.unitQuality[u]
	ur.Review, ur.Exclusions = r.review(u), r.unitExclusions(u)
	ur.RiskElements = r.riskElements(u)
	ur.HotSpots = r.hotSpots(u)
	return ur, scores
}

// unitCells assembles the part of a unit's results that depends on its own
// cells' tallies, suppressions and corrections only (unitKey).
func (r *run) unitCells(u int) (UnitResult, map[string][]float64) {
	var scores map[string][]float64
	unit := r.in.Units[u]
	ur := UnitResult{Code: unit.Code, Name: unit.Name, Parent: unit.Parent, Flags: []string{},
		Components: map[string]*Component{}, ResponseCounts: map[string]ResponseCount{},
		RiskElements: []RiskElement{}, HotSpots: []HotSpot{}, Prevalence: []Prevalence{}}
	ur.Correction = r.correction(unit.Code)
	flags := map[string]bool{}
	var parts []composite
	partial := false
	for t, name := range Types() {
		c := cell(u, t)
		N := unit.Population[name]
		if r.sc.received[c] > 0 || r.m.typeW[t] > 0 || N > 0 {
			rc := ResponseCount{Received: r.sc.received[c], Included: r.sc.included[c]}
			if N > 0 { // no target without a known population: it would be invented (385 for any N)
				rc.Population = ptr(N)
				rc.Required = ptr(RequiredSampleSize(N, r.m.s.TargetMargin))
			}
			ur.ResponseCounts[name] = rc
		}
		if r.sc.received[c] == 0 && r.m.typeW[t] == 0 {
			continue
		}
		var comp *Component
		if cc, ok := r.m.mc.componentRecall(r, u, t); ok {
			comp = &cc // a copy: index sets its weight
		} else {
			comp = r.component(r.comp[c], N, t, c, func(e int) figure { return r.elem[c*r.ne+e] },
				func(e int) *relAcc { return r.sc.rel[c*r.ne+e] })
			if t == 0 {
				comp.Strata = r.strata(u, r.comp[c])
			}
			r.m.mc.componentStore(r, u, t, *comp)
		}
		for _, f := range comp.Flags {
			flags[f] = true
		}
		ur.Components[name] = comp
		if r.m.typeW[t] > 0 {
			if r.comp[c].shown {
				parts = append(parts, composite{t: t, f: r.comp[c]})
			} else {
				partial = true
			}
		}
		if r.comp[c].shown {
			x := make([]float64, 0, r.comp[c].e.n)
			for _, i := range r.sc.groups[c] {
				if v := r.sc.comp[i]; !math.IsNaN(v) {
					x = append(x, v)
				}
			}
			if scores == nil {
				scores = map[string][]float64{}
			}
			scores[name] = x
		}
	}
	ur.IndexFigure = r.m.index(parts, ur.Correction.Points, partial, ur.Components)
	if r.withheld[u] {
		ur.IndexFigure = IndexFigure{Suppressed: true, Partial: partial, Category: CategoryWithheld, CategoryLabel: ptr(CategoryWithheldLabel)}
	}
	if ur.Suppressed {
		flags[FlagNoIndex] = true
	} else if *ur.Margin > r.m.s.MaxMargin {
		flags[FlagSampleInsufficient] = true
	}
	ur.Flags = sortedKeys(flags)
	ur.Prevalence = r.unitPrevalence(u)
	ur.TextCounts = r.textCounts(u)
	return ur, scores
}

// review is a unit's survey-integrity status: under review while a flagged
// cluster of it has no decision.
func (r *run) review(u int) Review {
	code := r.in.Units[u].Code
	reason, withheld := r.in.Withheld[code]
	rv := Review{Withheld: withheld, Reason: reason}
	for _, cl := range r.unitQuality[u].Clusters {
		if cl.Flagged && cl.Decision == ClusterPending {
			rv.UnderReview = true
			rv.Pending = append(rv.Pending, cl.ID)
		}
	}
	return rv
}

// unitExclusions lists the exclusions that removed responses of a unit, or
// that name the unit, in the order they were given.
func (r *run) unitExclusions(u int) []AppliedExclusion {
	out := []AppliedExclusion{}
	code := r.in.Units[u].Code
	for x, ex := range r.in.Exclusions {
		n := r.q.perUnit[u][x]
		if n > 0 || ex.Unit == code {
			out = append(out, AppliedExclusion{Exclusion: ex, Responses: n})
		}
	}
	return out
}

// component publishes a component figure with its elements and
// reliability; c is the unit×type cell, or -1 for the city.
func (r *run) component(f figure, N, t, c int, elem func(e int) figure, rel func(e int) *relAcc) *Component {
	out := &Component{Figure: f.public(), Elements: map[string]*ElementFigure{}, Weighting: WeightingNone}
	if N > 0 {
		out.Population = ptr(N)
	}
	if f.shown {
		out.DF = finitePtr(f.e.df)
	}
	if r.m.s.Weighting == WeightingPoststrat && t == 0 {
		out.Weighting = WeightingPoststrat
		if f.shown && !f.weighted {
			out.Weighting = WeightingNone + " (fallback: " + f.note + ")"
		}
	}
	if N > 0 && f.mo.n > N {
		out.Flags = append(out.Flags, FlagPopulationBelow)
	}
	for e, code := range r.m.elems {
		items := r.m.elemTyp[e][t]
		if len(items) == 0 {
			continue
		}
		ef := elem(e)
		fig := &ElementFigure{Figure: ef.public()}
		if ef.shown {
			codes := make([]string, len(items))
			for j, it := range items {
				codes[j] = r.m.items[it].code
			}
			rel, why := r.reliability(c, e, rel(e), codes)
			if rel != nil {
				fig.Alpha, fig.Reliability = ptr(rel.Alpha), rel
			} else {
				fig.AlphaAbsent = why
			}
		}
		out.Elements[code] = fig
	}
	return out
}

// reliability is acc's reliability, memoised for unit cell c (not the
// city, c < 0) under the cell's tally key: it depends on the tally only.
// Results are read-only, so successive ones share a recalled one, as they
// share a unit's memoised figures (unitRecall); the copies cost 1–5 ms
// per update of a national period.
func (r *run) reliability(c, e int, acc *relAcc, codes []string) (*Reliability, string) {
	mc := r.m.mc
	if c < 0 || mc == nil || mc.tallyKeys == nil {
		return acc.reliability(codes, r.m.k)
	}
	k := c*r.ne + e
	mc.mm.relMu.Lock()
	old, ok := mc.mm.rel[k]
	mc.mm.relMu.Unlock()
	if ok && mc.valid && old.key == mc.tallyKeys[c] {
		return old.rel, old.why
	}
	rel, why := acc.reliability(codes, r.m.k)
	mc.mm.relMu.Lock()
	mc.mm.rel[k] = relMemo{key: mc.tallyKeys[c], rel: rel, why: why}
	mc.mm.relMu.Unlock()
	return rel, why
}

// correction sums a unit's correction factor and applies the cap.
func (r *run) correction(code string) CorrectionSummary {
	cs := CorrectionSummary{Items: slices.Clone(r.in.Corrections[code])}
	if cs.Items == nil {
		cs.Items = []Correction{}
	}
	for _, c := range cs.Items {
		cs.Total += c.Points
	}
	cs.Points = cs.Total
	if cs.Total > r.m.s.CorrectionCap {
		cs.Points, cs.Capped = r.m.s.CorrectionCap, true
	}
	return cs
}

// textCounts counts free-text answers for groups of at least k_text
// respondents; a withheld unit shows none.
func (r *run) textCounts(u int) []TextCount {
	var out []TextCount
	if r.withheld[u] {
		return nil
	}
	for x, it := range r.m.text {
		for t, name := range Types() {
			c := cell(u, t)
			if !r.m.items[it].types[t] || r.sc.included[c] < r.m.s.MinGroupText {
				continue
			}
			out = append(out, TextCount{Item: r.m.items[it].code, Type: name, Count: r.sc.text[c*len(r.m.text)+x]})
		}
	}
	return out
}

// unitPrevalence publishes a unit's prevalence cells.
func (r *run) unitPrevalence(u int) []Prevalence {
	n := 0 // counted first: one allocation
	for _, it := range r.m.exp {
		for t := range numTypes {
			if r.m.items[it].types[t] && r.sc.received[cell(u, t)] > 0 {
				n++
			}
		}
	}
	out := make([]Prevalence, 0, n)
	nx := len(r.m.exp)
	for x, it := range r.m.exp {
		for t, name := range Types() {
			if !r.m.items[it].types[t] || r.sc.received[cell(u, t)] == 0 {
				continue
			}
			out = append(out, r.publicPrev(it, name, r.prev[cell(u, t)*nx+x]))
		}
	}
	return out
}

// publicPrev publishes a prevalence cell: nothing but the reason when suppressed.
func (r *run) publicPrev(it int, typ string, p prevCell) Prevalence {
	info := &r.m.items[it]
	out := Prevalence{Item: info.code, Element: r.m.elems[info.elem], Type: typ}
	if !p.shown {
		out.Suppressed, out.Suppression = true, p.reason
		return out
	}
	share, lo, hi := Wilson(p.yes, p.n)
	out.Yes, out.N, out.Prevalence, out.CI = ptr(p.yes), ptr(p.n), ptr(share), &[2]float64{lo, hi}
	return out
}

// composite is a shown component entering an index.
type composite struct {
	t int
	f figure
}

// index combines the components into an index (spi-method §3.5, §4): weights
// renormalised over the components used, SE √Σw²SE², Welch–Satterthwaite df,
// the correction subtracted as a constant, index and CI ends clamped to 0–100.
// It records each component's renormalised weight.
func (m *model) index(parts []composite, correction float64, partial bool, comps map[string]*Component) IndexFigure {
	if len(parts) == 0 {
		return IndexFigure{Suppressed: true, Partial: partial}
	}
	wsum := 0.0
	for _, p := range parts {
		wsum += m.typeW[p.t]
	}
	mean := 0.0
	vars := make([]float64, len(parts))
	dfs := make([]float64, len(parts))
	for j, p := range parts {
		w := m.typeW[p.t] / wsum
		mean += w * p.f.e.mean
		vars[j] = w * w * p.f.e.se * p.f.e.se
		dfs[j] = p.f.e.df
		if c := comps[Types()[p.t]]; c != nil {
			c.Weight = w
		}
	}
	v := 0.0
	for _, x := range vars {
		v += x
	}
	se := math.Sqrt(v)
	df := welchSatterthwaite(vars, dfs)
	half := 0.0
	if se > 0 {
		half = m.tq.quantile(df) * se
	}
	raw := mean - correction
	idx := clamp100(raw)
	band := Category(m.s, Round2(idx))
	return IndexFigure{
		Index:              &idx,
		SE:                 &se,
		CI:                 &[2]float64{clamp100(raw - half), clamp100(raw + half)},
		Margin:             &half,
		DF:                 finitePtr(df),
		Category:           band.Slug,
		CategoryLabel:      &band.Label,
		CategoryIndicative: partial,
		Partial:            partial,
	}
}
