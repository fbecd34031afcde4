package analysis

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Test kinds (Results.Tests).
const (
	FamilyBelowRest = "below_rest" // element score below the rest of the city: one-sided Welch
	FamilyAboveRest = "above_rest" // prevalence above the rest of the city: one-sided Fisher exact
)

// Test is one test of the period's multiplicity family (spi-method v2 §5):
// its one-sided p-value and its Benjamini–Hochberg adjusted value over the
// whole family (R p.adjust(p, "BH")).
type Test struct {
	Kind string  `json:"kind"`
	Unit string  `json:"unit"`
	Type string  `json:"type"`
	Key  string  `json:"key"` // element or experience item
	P    float64 `json:"p"`
	Q    float64 `json:"q"`
}

// famTest is a test of the family before adjustment, with where its result goes.
type famTest struct {
	Test
	cell int // element cell (c*ne+e) or prevalence cell (c*nx+x)
	rest float64
}

// family runs every test against the rest of the city — element deficits of
// each shown element cell, excess prevalence of each shown cell of an
// experience item where "yes" is bad — and adjusts them together. The rest
// of the city is the other units' published cells of the same type, so no
// unit's result depends on another unit being small or withheld. The
// p-values, most of the work, are computed in parallel.
func (r *run) family() {
	ne, nx := r.ne, len(r.m.exp)
	r.riskTest = make([]*famTest, r.nu*numTypes*ne)
	r.hotTest = make([]*famTest, r.nu*numTypes*nx)
	// the tests in the family's order, with what their p-values are
	// computed from; a Welch test that turns out undefined is dropped
	n := r.nu * numTypes * (ne + nx) // at most one per cell of each
	all := make([]famTest, 0, n)
	type input struct {
		unit, rest moments // welch: the cell and the rest of the city
		y1, n1     int     // fisher: the cell's yes and n, and the rest's
		y2, n2     int
		welch, ok  bool
	}
	ins := make([]input, 0, n)
	for t, name := range Types() {
		for e := range ne {
			if len(r.m.elemTyp[e][t]) == 0 {
				continue
			}
			// the rest of the city for unit u merges the shown units before
			// it with those after it: two passes instead of one per unit
			after := make([]moments, r.nu+1)
			for u := r.nu - 1; u >= 0; u-- {
				after[u] = after[u+1]
				if g := r.elem[cell(u, t)*ne+e]; g.shown {
					after[u] = g.mo.merge(after[u+1])
				}
			}
			var before moments
			for u := range r.nu {
				k := cell(u, t)*ne + e
				f := r.elem[k]
				if !f.shown {
					continue
				}
				rest := before.merge(after[u+1])
				before = before.merge(f.mo)
				all = append(all, famTest{Test: Test{Kind: FamilyBelowRest, Unit: r.in.Units[u].Code, Type: name, Key: r.m.elems[e]}, cell: k, rest: rest.mean})
				ins = append(ins, input{unit: f.mo, rest: rest, welch: true})
			}
		}
		for x, it := range r.m.exp {
			info := &r.m.items[it]
			if info.reverse || !info.types[t] {
				continue
			}
			city := r.cityPrev[t*nx+x]
			for u := range r.nu {
				k := cell(u, t)*nx + x
				p := r.prev[k]
				if !p.shown || city.n-p.n <= 0 {
					continue
				}
				all = append(all, famTest{Test: Test{Kind: FamilyAboveRest, Unit: r.in.Units[u].Code, Type: name, Key: info.code},
					cell: k, rest: float64(city.yes-p.yes) / float64(city.n-p.n)})
				ins = append(ins, input{y1: p.yes, n1: p.n, y2: city.yes - p.yes, n2: city.n - p.n})
			}
		}
	}
	const chunk = 256
	parallel((len(all)+chunk-1)/chunk, func(_, ch int) {
		for j := ch * chunk; j < min(len(all), (ch+1)*chunk); j++ {
			if in := &ins[j]; in.welch {
				all[j].P, in.ok = welchLess(in.unit, in.rest)
			} else {
				all[j].P, in.ok = fisherGreater(in.y1, in.n1, in.y2, in.n2), true
			}
		}
	})
	kept := all[:0]
	for j := range all {
		if ins[j].ok {
			kept = append(kept, all[j])
		}
	}
	all = kept
	ps := make([]float64, len(all))
	for i := range all {
		ps[i] = all[i].P
	}
	if len(all) > 0 {
		r.tests = make([]Test, 0, len(all)) // grown by append, it cost ~20 ms of a 300-unit update
	}
	for i, q := range BH(ps) {
		ft := &all[i]
		ft.Q = q
		r.tests = append(r.tests, ft.Test)
		if ft.Kind == FamilyBelowRest {
			r.riskTest[ft.cell] = ft
		} else {
			r.hotTest[ft.cell] = ft
		}
	}
}

// welchLess is the one-sided Welch t-test p-value that the unit's mean lies
// below the rest's (R t.test(x, rest, alternative = "less")); false when it
// is undefined (fewer than two values on a side, or zero standard error).
func welchLess(a, b moments) (float64, bool) {
	if a.n < 2 || b.n < 2 {
		return 0, false
	}
	va := a.s / float64(a.n-1) / float64(a.n)
	vb := b.s / float64(b.n-1) / float64(b.n)
	se := math.Sqrt(va + vb)
	if !(se > 0) {
		return 0, false
	}
	df := welchSatterthwaite([]float64{va, vb}, []float64{float64(a.n - 1), float64(b.n - 1)})
	p := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF((a.mean - b.mean) / se)
	return p, !math.IsNaN(p)
}

// fisherGreater is the one-sided Fisher exact test p-value that the unit's
// share y1/n1 exceeds the rest's y2/n2: P(X ≥ y1) for X hypergeometric with
// the table's margins (R fisher.test(alternative = "greater")).
func fisherGreater(y1, n1, y2, n2 int) float64 {
	K, N := y1+y2, n1+n2
	lc := func(n, k int) float64 {
		a, _ := math.Lgamma(float64(n + 1))
		b, _ := math.Lgamma(float64(k + 1))
		c, _ := math.Lgamma(float64(n - k + 1))
		return a - b - c
	}
	lo := max(y1, n1-(N-K)) // the first x with a nonzero probability
	hi := min(K, n1)
	if lo > hi {
		return 0
	}
	// The first term from the log-gammas, the others by the ratio of
	// consecutive hypergeometric probabilities: one multiplication per
	// term instead of six log-gammas, which made the test family (up to
	// 300 units × types × items at a national scale) the costliest part
	// of a recompute. Terms are summed relative to the first, rescaled
	// before they could overflow; the sum stops once past the mode the
	// remaining terms cannot reach the last bit of the sum.
	logFirst := lc(K, lo) + lc(N-K, n1-lo) - lc(N, n1)
	mode := float64((n1+1)*(K+1)) / float64(N+2)
	term, sum, logScale := 1.0, 1.0, 0.0
	for x := lo; x < hi; x++ {
		term *= float64(K-x) * float64(n1-x) / (float64(x+1) * float64(N-K-n1+x+1))
		sum += term
		if sum > 1e250 {
			term, sum, logScale = term*1e-250, sum*1e-250, logScale+250*math.Ln10
		}
		if float64(x) > mode && term*float64(hi-x) < sum*1e-17 {
			break
		}
	}
	return math.Min(1, math.Exp(logFirst+logScale)*sum)
}

// BH is the Benjamini–Hochberg adjustment of p-values (R p.adjust(p, "BH")).
func BH(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	// Descending p, ties in index order: what a stable sort gives, and
	// with the index breaking ties any sort gives it. On 15,000 p-values
	// (a national period's family) BH took 2.6 ms with pdqsort, where
	// sort.SliceStable alone took 4.2 ms. NaN orders nothing: with one,
	// the stable sort it always had.
	if slices.ContainsFunc(p, math.IsNaN) {
		sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	} else {
		slices.SortFunc(idx, func(a, b int) int {
			switch {
			case p[a] > p[b]:
				return -1
			case p[b] > p[a]:
				return 1
			}
			return cmp.Compare(a, b)
		})
	}
	out := make([]float64, m)
	run := 1.0
	for j, i := range idx {
		rank := m - j
		run = math.Min(run, p[i]*float64(m)/float64(rank))
		out[i] = math.Min(1, run)
	}
	return out
}

// waspada is the lowest index that is not a risk band.
func (m *model) waspada() float64 {
	for _, b := range m.s.Categories.bands() {
		if !b.Risk {
			return b.From
		}
	}
	return 100
}

// riskElements lists the elements where some shown type's CI upper end lies
// below Waspada, or that score significantly below the rest of the city
// after BH; a point score in a risk band without either is indicative.
func (r *run) riskElements(u int) []RiskElement {
	out := []RiskElement{}
	for e, code := range r.m.elems {
		re := RiskElement{Element: code, Types: []string{}}
		for t, name := range Types() {
			k := cell(u, t)*r.ne + e
			f := r.elem[k]
			if !f.shown {
				continue
			}
			ci := f.ci()
			ft := r.riskTest[k]
			var rest *float64
			if ft != nil {
				rest = ptr(ft.rest)
			}
			add := func(reason string) {
				if len(re.Types) == 0 || re.Types[len(re.Types)-1] != name {
					re.Types = append(re.Types, name)
				}
				rr := RiskReason{Type: name, Reason: reason, Score: f.e.mean, CIHigh: ci[1], City: rest}
				if reason == RiskBelowCity {
					rr.P, rr.Q = ptr(ft.P), ptr(ft.Q)
				}
				re.Reasons = append(re.Reasons, rr)
			}
			confirmed := false
			if Round2(ci[1]) < r.m.waspada() {
				add(RiskBand)
				confirmed = true
			}
			if ft != nil && ft.Q <= r.m.s.FDR {
				add(RiskBelowCity)
				confirmed = true
			}
			if !confirmed && Category(r.m.s, f.e.mean).Risk {
				add(RiskIndicative)
			}
		}
		if len(re.Reasons) > 0 {
			re.Indicative = true
			for _, rr := range re.Reasons {
				re.Indicative = re.Indicative && rr.Reason == RiskIndicative
			}
			out = append(out, re)
		}
	}
	return out
}

// hotSpots lists the titik rawan of a unit: shown prevalence cells of
// experience items where "yes" is the bad answer whose Wilson lower bound
// reaches HotSpotShare or that lie significantly above the rest of the city
// after BH; a point share ≥ HotSpotShare without either is indicative.
func (r *run) hotSpots(u int) []HotSpot {
	nx := len(r.m.exp)
	shown := 0 // at most one hot spot per shown cell: one allocation
	for x := range nx {
		for t := range numTypes {
			if r.prev[cell(u, t)*nx+x].shown {
				shown++
			}
		}
	}
	out := make([]HotSpot, 0, shown)
	for x, it := range r.m.exp {
		info := &r.m.items[it]
		if info.reverse {
			continue
		}
		for t, name := range Types() {
			if !info.types[t] {
				continue
			}
			k := cell(u, t)*nx + x
			p := r.prev[k]
			if !p.shown {
				continue
			}
			share, lo, hi := Wilson(p.yes, p.n)
			ft := r.hotTest[k]
			var reasons []string
			if lo >= r.m.s.HotSpotShare {
				reasons = append(reasons, HotShare)
			}
			if ft != nil && ft.Q <= r.m.s.FDR {
				reasons = append(reasons, HotAboveCity)
			}
			indicative := len(reasons) == 0 && share >= r.m.s.HotSpotShare
			if indicative {
				reasons = append(reasons, HotIndicative)
			}
			if len(reasons) == 0 {
				continue
			}
			hs := HotSpot{Item: info.code, Element: r.m.elems[info.elem], Type: name, Prevalence: share,
				CI: [2]float64{lo, hi}, N: p.n, Reasons: reasons, Indicative: indicative}
			if ft != nil {
				hs.City, hs.P, hs.Q = ptr(ft.rest), ptr(ft.P), ptr(ft.Q)
			}
			out = append(out, hs)
		}
	}
	return out
}
