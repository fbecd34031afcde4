package analysis

import (
	"math"
	"runtime"
	"sync"
)

// run is the state of one Compute call.
type run struct {
	m           *model
	in          Input
	q           qualityOut
	sc          *scored
	nu, ne      int
	comp        []figure // per unit×type
	elem        []figure // per unit×type×element
	prev        []prevCell
	cityComp    [numTypes]figure
	cityElem    []figure // per type×element
	cityPrev    []prevCell
	cityN       [numTypes]int   // city population by type, 0 when unknown
	cityResp    [numTypes][]int // included responses by type over all units, when post-stratified
	unitQuality []QualitySummary
	cityQuality QualitySummary
}

// prevCell is a prevalence count with its publication status.
type prevCell struct {
	yes, n int
	shown  bool
	reason string
}

// Compute computes every figure of a period (spi-method §3–8).
func Compute(in Input) (*Results, error) {
	m, err := newModel(in)
	if err != nil {
		return nil, err
	}
	r := &run{m: m, in: in, nu: len(in.Units), ne: len(m.elems)}
	tab := m.scoreTables()
	var comp, elem []float64
	r.q = m.quality(in, func() { comp, elem = m.respondentScores(in.Responses, tab) })
	r.sc = m.tally(in.Responses, r.q.included, comp, elem, tab, r.nu)
	r.summarizeQuality()
	r.cityPopulation()
	r.components()
	r.elements()
	r.prevalences()
	res := &Results{Period: in.Period, Settings: m.s, Units: make([]UnitResult, r.nu), Scores: map[string]map[string][]float64{}}
	scores := make([]map[string][]float64, r.nu)
	parallel(r.nu, func(_, u int) { res.Units[u], scores[u] = r.unitResult(u) })
	for u, sc := range scores {
		if sc != nil {
			res.Scores[in.Units[u].Code] = sc
		}
	}
	res.City = r.city(res.Units)
	return res, nil
}

// cityPopulation sums the units' populations by type, unknown when some unit
// with included respondents of that type has none.
func (r *run) cityPopulation() {
	for t, name := range Types() {
		sum, known := 0, true
		for u, unit := range r.in.Units {
			N := unit.Population[name]
			if N <= 0 && r.sc.included[cell(u, t)] > 0 {
				known = false
			}
			sum += N
		}
		if known {
			r.cityN[t] = sum
		}
		for u := 0; u < r.nu && r.m.s.Weighting == WeightingPoststrat; u++ {
			r.cityResp[t] = append(r.cityResp[t], r.sc.groups[cell(u, t)]...)
		}
	}
}

// input gathers the values of the given responses into buf, with post-strata
// labels when internal respondents are weighted; u < 0 means the city, whose
// post-strata are the unit × stratum cells.
func (r *run) input(resp []int, val func(i int) float64, t, N, u int, buf []float64) estimateInput {
	ei := estimateInput{N: N, x: buf[:0]}
	weight := r.m.s.Weighting == WeightingPoststrat && t == 0
	if weight {
		ei.labels = []string{}
		ei.pop = r.m.strataOf[max(u, 0)]
		if u < 0 {
			ei.pop = map[string]int{}
		}
	}
	for _, i := range resp {
		v := val(i)
		if math.IsNaN(v) {
			continue
		}
		ei.x = append(ei.x, v)
		if !weight {
			continue
		}
		resp := &r.in.Responses[i]
		if u >= 0 {
			ei.labels = append(ei.labels, resp.Stratum)
			continue
		}
		key := resp.Unit + "\x00"
		ei.labels = append(ei.labels, key+resp.Stratum)
		if _, seen := ei.pop[key]; !seen {
			ei.pop[key] = 0
			for s, c := range r.m.strataOf[r.m.unitIdx[resp.Unit]] {
				ei.pop[key+s] = c
			}
		}
	}
	return ei
}

// cityEstimate pools a type's values over all units: from the units'
// moments when unweighted, from the values themselves when post-stratified.
func (r *run) cityEstimate(t int, val func(i int) float64, unit func(u int) figure) figure {
	if r.m.s.Weighting == WeightingPoststrat && t == 0 {
		return r.m.estimate(r.input(r.cityResp[t], val, t, r.cityN[t], -1, nil))
	}
	var mo moments
	for u := range r.nu {
		mo = mo.merge(unit(u).mo)
	}
	return r.m.pooled(mo, r.cityN[t])
}

// components estimates every unit's and the city's components and applies
// complementary suppression among the units of each type.
func (r *run) components() {
	r.comp = make([]figure, r.nu*numTypes)
	compVal := func(i int) float64 { return r.sc.comp[i] }
	bufs := make([][]float64, workers())
	parallel(r.nu, func(w, u int) {
		for t, name := range Types() {
			c := cell(u, t)
			r.comp[c] = r.m.estimate(r.input(r.sc.groups[c], compVal, t, r.in.Units[u].Population[name], u, bufs[w]))
		}
	})
	r.hideDifferenced() // views cannot be differenced (differenced.go)
	parallel(numTypes, func(_, t int) {
		r.cityComp[t] = r.cityEstimate(t, compVal, func(u int) figure { return r.comp[cell(u, t)] })
	})
	for t := range numTypes {
		r.complementUnits(func(u int) *figure { return &r.comp[cell(u, t)] }, r.cityComp[t].shown)
	}
}

// complementUnits hides, among the units' figures of one table, what
// complementary suppression requires when the city total is shown.
func (r *run) complementUnits(get func(u int) *figure, parentShown bool) {
	if !parentShown {
		return
	}
	n := make([]int, r.nu)
	shown := make([]bool, r.nu)
	for u := range r.nu {
		f := get(u)
		n[u], shown[u] = f.e.n, f.shown
	}
	for _, u := range complement(n, shown, r.m.k) {
		get(u).hide(SuppressComplementary)
	}
}

// elements estimates the element scores by unit, type and element.
func (r *run) elements() {
	ne := r.ne
	r.elem = make([]figure, r.nu*numTypes*ne)
	r.cityElem = make([]figure, numTypes*ne)
	val := func(e int) func(i int) float64 {
		return func(i int) float64 { return r.sc.elem[i*ne+e] }
	}
	bufs := make([][]float64, workers())
	parallel(r.nu, func(w, u int) {
		for e := range ne {
			for t, name := range Types() {
				if len(r.m.elemTyp[e][t]) == 0 {
					continue
				}
				c := cell(u, t)
				in := r.input(r.sc.groups[c], val(e), t, r.in.Units[u].Population[name], u, bufs[w])
				bufs[w] = in.x
				f := r.m.estimate(in)
				if !r.comp[c].shown && f.shown {
					f.hide(SuppressParent)
				}
				r.elem[c*ne+e] = f
			}
		}
	})
	parallel(numTypes*ne, func(_, k int) {
		t, e := k/ne, k%ne
		if len(r.m.elemTyp[e][t]) > 0 {
			r.cityElem[k] = r.cityEstimate(t, val(e), func(u int) figure { return r.elem[cell(u, t)*ne+e] })
		}
	})
	for t := range numTypes {
		for e := range ne {
			if len(r.m.elemTyp[e][t]) > 0 {
				r.complementUnits(func(u int) *figure { return &r.elem[cell(u, t)*ne+e] }, r.cityElem[t*ne+e].shown)
			}
		}
	}
}

// prevalences counts "yes" per unit, type and experience item and suppresses
// small cells, cells of hidden elements, and their complements.
func (r *run) prevalences() {
	nx := len(r.m.exp)
	r.prev = make([]prevCell, r.nu*numTypes*nx)
	r.cityPrev = make([]prevCell, numTypes*nx)
	for x, it := range r.m.exp {
		e := r.m.items[it].elem
		for t := range numTypes {
			if !r.m.items[it].types[t] {
				continue
			}
			city := &r.cityPrev[t*nx+x]
			figs := make([]figure, r.nu)
			for u := range r.nu {
				c := cell(u, t)
				p := prevCell{yes: r.sc.prevYes[c*nx+x], n: r.sc.prevN[c*nx+x]}
				city.yes += p.yes
				city.n += p.n
				figs[u] = figure{e: est{n: p.n}, shown: p.n >= r.m.k}
				if !figs[u].shown {
					figs[u].reason = SuppressMinGroup
				} else if !r.elem[c*r.ne+e].shown {
					figs[u].hide(SuppressParent)
				}
				r.prev[c*nx+x] = p
			}
			city.shown = city.n >= r.m.k
			if !city.shown {
				city.reason = SuppressMinGroup
			}
			r.complementUnits(func(u int) *figure { return &figs[u] }, city.shown)
			for u := range r.nu {
				p := &r.prev[cell(u, t)*nx+x]
				p.shown, p.reason = figs[u].shown, figs[u].reason
			}
		}
	}
}

// parallel calls f(worker, i) for i in [0, n) on GOMAXPROCS goroutines;
// results must be written by index so they do not depend on scheduling.
func parallel(n int, f func(worker, i int)) {
	workers := min(n, max(1, runtime.GOMAXPROCS(0)))
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// workers is the number of goroutines parallel uses.
func workers() int { return max(1, runtime.GOMAXPROCS(0)) }
