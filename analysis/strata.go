package analysis

import (
	"math"
	"sort"
)

// strata breaks a unit's internal component down by post-stratum: cells
// under k are suppressed, respondents without a known stratum form a hidden
// cell, and complementary suppression protects the cells against subtraction
// from the component; nothing is shown when the component itself is hidden.
func (r *run) strata(u int, parent figure) []StratumFigure {
	st, ok := r.m.mc.strataRecall(u)
	if !ok {
		st = r.strataFigures(u)
		r.m.mc.strataStore(u, st)
	}
	if !st.labelled {
		return nil
	}
	labels, pop := st.labels, r.m.strataOf[u]
	figs := append([]figure(nil), st.figs...)
	n := make([]int, len(figs))
	shown := make([]bool, len(figs))
	for j := range labels {
		if !parent.shown && figs[j].shown {
			figs[j].hide(SuppressParent)
		}
		n[j], shown[j] = figs[j].e.n, figs[j].shown
	}
	n[len(labels)] = st.unlabelled
	if parent.shown {
		for _, j := range complement(n, shown, r.m.k) {
			figs[j].hide(SuppressComplementary)
		}
	}
	out := make([]StratumFigure, len(labels))
	for j, s := range labels {
		out[j] = StratumFigure{Stratum: s, Figure: figs[j].public()}
		if N := pop[s]; N > 0 {
			out[j].Population = ptr(N)
		}
	}
	return out
}

// strataFigs is a unit's stratum estimates before any suppression: they
// depend on its internal cell's tally only (and the context), so the memo
// keeps them under the cell's tally key.
type strataFigs struct {
	key        uint64
	labelled   bool     // some respondent has a stratum
	labels     []string // sorted
	figs       []figure // by label, then one for the unlabelled
	unlabelled int      // respondents without a stratum
}

// strataFigures estimates unit u's strata.
func (r *run) strataFigures(u int) strataFigs {
	c := cell(u, 0)
	by := map[string][]float64{}
	labelled := false
	for _, i := range r.sc.groups[c] {
		v := r.sc.comp[i]
		if math.IsNaN(v) {
			continue
		}
		s := r.in.Responses[i].Stratum
		by[s] = append(by[s], v)
		labelled = labelled || s != ""
	}
	if !labelled {
		return strataFigs{}
	}
	pop := r.m.strataOf[u]
	var labels []string
	for s := range by {
		if s != "" {
			labels = append(labels, s)
		}
	}
	for s := range pop {
		if _, ok := by[s]; !ok && s != "" {
			labels = append(labels, s)
		}
	}
	sort.Strings(labels)
	figs := make([]figure, len(labels)+1)
	for j, s := range labels {
		figs[j] = r.m.estimate(estimateInput{x: by[s], N: pop[s]})
	}
	return strataFigs{labelled: true, labels: labels, figs: figs, unlabelled: len(by[""])}
}
