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
	rawComp     []figure // comp and elem before any suppression, for the memo
	rawElem     []figure
	prev        []prevCell
	cityComp    [numTypes]figure
	cityElem    []figure // per type×element
	cityPrev    []prevCell
	cityN       [numTypes]int // population of the units in the city component, 0 when some is unknown
	withheld    []bool        // per unit: Input.Withheld names it
	riskTest    []*famTest    // by element cell: the test below the rest of the city, or nil
	hotTest     []*famTest    // by prevalence cell: the test above the rest of the city, or nil
	tests       []Test
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
	return compute(in, nil, 0)
}

// compute is Compute reusing the work memoised in mm (nil: none), whose
// last call's first kept responses are in's (Memo.ComputeAppended).
func compute(in Input, mm *Memo, kept int) (*Results, error) {
	var mc *memoCall
	if mm != nil {
		mc = mm.begin(in, kept)
	}
	m, err := newModelWith(in, mc)
	if err != nil {
		return nil, err
	}
	defer mc.end()
	r := &run{m: m, in: in, nu: len(in.Units), ne: len(m.elems), withheld: make([]bool, len(in.Units))}
	for u, unit := range in.Units {
		_, r.withheld[u] = in.Withheld[unit.Code]
	}
	tab := m.scoreTables()
	var comp, elem []float64
	r.q = m.quality(in, func() { comp, elem = m.scores(in.Responses, tab) })
	r.sc = m.tally(in.Responses, r.q.included, comp, elem, tab, r.nu)
	r.summarizeQuality()
	r.components()
	r.elements()
	r.prevalences()
	r.family()
	res := &Results{Period: in.Period, Settings: m.s, Units: make([]UnitResult, r.nu), Scores: map[string]map[string][]float64{}, Tests: r.tests}
	scores := make([]map[string][]float64, r.nu)
	m.mc.prepareUnits(r.nu)
	parallel(r.nu, func(_, u int) { res.Units[u], scores[u] = r.unitResult(u) })
	for u, sc := range scores {
		if sc != nil {
			res.Scores[in.Units[u].Code] = sc
		}
	}
	res.City = r.city(res.Units)
	return res, nil
}

// input gathers the values of the given responses of unit u into buf, with
// post-strata labels when internal respondents are weighted.
func (r *run) input(resp []int, val func(i int) float64, t, N, u int, buf []float64) estimateInput {
	ei := estimateInput{N: N, x: buf[:0], minCell: r.m.s.MinCell}
	weight := r.m.s.Weighting == WeightingPoststrat && t == 0
	if weight {
		ei.labels = []string{}
		ei.pop = r.m.strataOf[u]
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
		ei.labels = append(ei.labels, r.in.Responses[i].Stratum)
	}
	return ei
}

// cityFigure combines the published unit figures of one type (a
// component, or an element through unit) into the city figure (spi-method
// §3.8): over the units whose figure is shown only, so no hidden cell can
// be recovered by subtraction and no unit being small changes the city.
// With every such unit's population known (and not below its responses)
// it is the stratified estimate Σ (N_u/N) ȳ_u with variance
// Σ (N_u/N)² SE_u² and df n − H, as R's svymean on svydesign(ids=~1,
// strata=~unit, fpc=~N) (post-stratified units contribute their
// post-stratified mean and SE); otherwise the respondent-pooled mean of
// those units without fpc. It returns the figure and the population used.
func (r *run) cityFigure(t int, unit func(u int) figure) (figure, int) {
	var mo moments
	var used []int
	known, Nsum := true, 0
	for u := range r.nu {
		f := unit(u)
		if !f.shown {
			continue
		}
		used = append(used, u)
		mo = mo.merge(f.mo)
		N := r.in.Units[u].Population[Types()[t]]
		if N <= 0 || f.e.n > N {
			known = false
		}
		Nsum += N
	}
	if len(used) == 0 {
		return figure{reason: SuppressMinGroup}, 0
	}
	if !known {
		f := r.m.pooled(mo, 0)
		f.estimator, f.units = EstPooled, used
		return f, 0
	}
	mean, v := 0.0, 0.0
	for _, u := range used {
		f := unit(u)
		w := float64(r.in.Units[u].Population[Types()[t]]) / float64(Nsum)
		mean += w * f.e.mean
		v += w * w * f.e.se * f.e.se
	}
	f := figure{shown: true, mo: mo, estimator: EstStratified, units: used,
		e: est{mean: mean, se: math.Sqrt(v), df: float64(mo.n - len(used)), n: mo.n}}
	for _, u := range used {
		f.weighted = f.weighted || unit(u).weighted
	}
	if f.e.se > 0 && f.e.df > 0 {
		f.half = r.m.tq.quantile(f.e.df) * f.e.se
	}
	return f, Nsum
}

// components estimates every unit's and the city's components; a withheld
// unit's are hidden before the city is formed.
func (r *run) components() {
	r.comp = make([]figure, r.nu*numTypes)
	r.rawComp = make([]figure, r.nu*numTypes)
	compVal := func(i int) float64 { return r.sc.comp[i] }
	bufs := make([][]float64, workers())
	parallel(r.nu, func(w, u int) {
		for t, name := range Types() {
			c := cell(u, t)
			if e, ok := r.m.mc.estimates(c); ok {
				r.comp[c] = e.comp
			} else {
				r.comp[c] = r.m.estimate(r.input(r.sc.groups[c], compVal, t, r.in.Units[u].Population[name], u, bufs[w]))
			}
			r.rawComp[c] = r.comp[c]
			if r.withheld[u] {
				r.comp[c].hide(SuppressWithheld)
			}
		}
	})
	r.hideDifferenced() // views cannot be differenced (differenced.go)
	for t := range numTypes {
		r.cityComp[t], r.cityN[t] = r.cityFigure(t, func(u int) figure { return r.comp[cell(u, t)] })
	}
}

// elements estimates the element scores by unit, type and element.
func (r *run) elements() {
	ne := r.ne
	r.elem = make([]figure, r.nu*numTypes*ne)
	r.rawElem = make([]figure, r.nu*numTypes*ne)
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
				var f figure
				if memo, ok := r.m.mc.estimates(c); ok {
					f = memo.elem[e]
				} else {
					in := r.input(r.sc.groups[c], val(e), t, r.in.Units[u].Population[name], u, bufs[w])
					bufs[w] = in.x
					f = r.m.estimate(in)
				}
				r.rawElem[c*ne+e] = f
				if !r.comp[c].shown && f.shown {
					f.hide(SuppressParent)
				}
				if r.withheld[u] {
					f.hide(SuppressWithheld)
				}
				r.elem[c*ne+e] = f
			}
		}
	})
	r.rememberEstimates()
	parallel(numTypes*ne, func(_, k int) {
		t, e := k/ne, k%ne
		if len(r.m.elemTyp[e][t]) > 0 {
			r.cityElem[k], _ = r.cityFigure(t, func(u int) figure { return r.elem[cell(u, t)*ne+e] })
		}
	})
}

// prevalences counts "yes" per unit, type and experience item, suppresses
// small cells and cells of hidden elements, and sums the city over the
// shown cells only.
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
			for u := range r.nu {
				c := cell(u, t)
				p := prevCell{yes: r.sc.prevYes[c*nx+x], n: r.sc.prevN[c*nx+x], shown: true}
				switch {
				case p.n < r.m.k:
					p.shown, p.reason = false, SuppressMinGroup
				case r.withheld[u]:
					p.shown, p.reason = false, SuppressWithheld
				case !r.elem[c*r.ne+e].shown:
					p.shown, p.reason = false, SuppressParent
				}
				if p.shown {
					city.yes += p.yes
					city.n += p.n
				}
				r.prev[c*nx+x] = p
			}
			city.shown = city.n >= r.m.k
			if !city.shown {
				city.reason = SuppressMinGroup
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
