package analysis

import "slices"

// city assembles the city figures: the index pooled over all respondents and
// the unweighted mean of the published unit indices (spi-method §3.8).
func (r *run) city(units []UnitResult) City {
	comps := map[string]*Component{}
	var parts []composite
	partial := false
	for t, name := range Types() {
		received := 0
		for u := range r.nu {
			received += r.sc.received[cell(u, t)]
		}
		if received == 0 && r.m.typeW[t] == 0 {
			continue
		}
		cc := r.component(r.cityComp[t], r.cityN[t], t, -1,
			func(e int) figure { return r.cityElem[t*r.ne+e] }, func(e int) *relAcc { return r.cityRel(t, e) })
		cc.Estimator = r.cityComp[t].estimator
		for _, u := range r.cityComp[t].units {
			cc.Units = append(cc.Units, r.in.Units[u].Code)
		}
		if cc.Estimator == EstStratified {
			cc.Weighting = EstStratified
			if r.cityComp[t].weighted {
				cc.Weighting += " (" + WeightingPoststrat + ")"
			}
		}
		comps[name] = cc
		if r.m.typeW[t] > 0 {
			if r.cityComp[t].shown {
				parts = append(parts, composite{t: t, f: r.cityComp[t]})
			} else {
				partial = true
			}
		}
	}
	c := City{
		Pooled: PooledIndex{
			Label:       Label{ID: "Indeks kota atas sel yang dipublikasikan", EN: "City index over the published cells"},
			IndexFigure: r.m.index(parts, 0, partial, comps),
			Components:  comps,
		},
		UnitMean:   UnitMeanIndex{Label: Label{ID: "Rata-rata indeks unit", EN: "Unweighted mean of unit indices"}},
		Prevalence: []Prevalence{},
		Quality:    r.cityQuality,
		Exclusions: append([]AppliedExclusion{}, r.q.applied...),
	}
	sum := 0.0
	for _, u := range units {
		if u.Index != nil {
			sum += *u.Index
			c.UnitMean.Units++
		}
	}
	if c.UnitMean.Units > 0 {
		mean := sum / float64(c.UnitMean.Units)
		band := Category(r.m.s, Round2(mean))
		c.UnitMean.Index, c.UnitMean.Category, c.UnitMean.CategoryLabel = &mean, band.Slug, &band.Label
	}
	nx := len(r.m.exp)
	for x, it := range r.m.exp {
		for t, name := range Types() {
			if r.m.items[it].types[t] {
				c.Prevalence = append(c.Prevalence, r.publicPrev(it, name, r.cityPrev[t*nx+x]))
			}
		}
	}
	return c
}

// cityRel merges the reliability accumulators of a type and element over
// the units whose element cell is published.
func (r *run) cityRel(t, e int) *relAcc {
	p := len(r.m.elemTyp[e][t])
	if p < 2 {
		return nil
	}
	acc := newRelAcc(p)
	for u := range r.nu {
		if a := r.sc.rel[cell(u, t)*r.ne+e]; a != nil && r.elem[cell(u, t)*r.ne+e].shown {
			acc.merge(a)
		}
	}
	return acc
}

// summarizeQuality counts flags and inclusion decisions per unit and for
// the city: responses, exclusions and incomplete paper responses from the
// cells' tallies, flags and decisions from the few responses they concern.
func (r *run) summarizeQuality() {
	newSummary := func() QualitySummary {
		return QualitySummary{ByFlag: map[string]int{}}
	}
	r.unitQuality = make([]QualitySummary, r.nu)
	for u := range r.nu {
		r.unitQuality[u] = newSummary()
	}
	r.cityQuality = newSummary()
	unit := func(i int) *QualitySummary { return &r.unitQuality[r.m.unitIdx[r.in.Responses[i].Unit]] }
	for u := range r.nu {
		s := &r.unitQuality[u]
		for t := range numTypes {
			c := cell(u, t)
			s.Responses += r.sc.received[c]
			s.Excluded += r.sc.received[c] - r.sc.included[c]
			s.PaperIncomplete += r.sc.incomplete[c]
		}
		r.cityQuality.Responses += s.Responses
		r.cityQuality.Excluded += s.Excluded
		r.cityQuality.PaperIncomplete += s.PaperIncomplete
	}
	for i, flags := range r.q.flags {
		s := unit(i)
		s.Flagged++
		r.cityQuality.Flagged++
		for j, f := range flags {
			if !slices.ContainsFunc(flags[:j], func(g Flag) bool { return g.Code == f.Code }) {
				s.ByFlag[f.Code]++
				r.cityQuality.ByFlag[f.Code]++
			}
		}
	}
	for _, i := range r.q.byDecIn {
		unit(i).IncludedByDecision++
		r.cityQuality.IncludedByDecision++
	}
	for _, i := range r.q.byDecOut {
		unit(i).ExcludedByDecision++
		r.cityQuality.ExcludedByDecision++
	}
	for _, cl := range r.q.clusters {
		u := r.m.unitIdx[cl.Unit]
		r.unitQuality[u].Clusters = append(r.unitQuality[u].Clusters, cl)
		r.cityQuality.Clusters = append(r.cityQuality.Clusters, cl)
	}
	r.cityQuality.MedianDuration = map[string]float64{}
	for t, name := range Types() {
		if r.q.median[t] > 0 {
			r.cityQuality.MedianDuration[name] = r.q.median[t]
		}
	}
}
