package analysis

import "math"

// relAcc accumulates the complete cases of an element×type for Cronbach's α,
// centred on 50 so the cross-products keep their precision.
type relAcc struct {
	p     int
	n     int
	sum   []float64 // Σ (x − 50)
	cross []float64 // p×p Σ (x − 50)(y − 50), upper triangle
}

func newRelAcc(p int) *relAcc {
	return &relAcc{p: p, sum: make([]float64, p), cross: make([]float64, p*p)}
}

// zeroVariance is the item variance below which an item counts as constant:
// scores lie on a grid no finer than 100/253, so a varying item's variance
// is at least (100/253)²/n, far above this, while a constant one computes
// to zero up to rounding.
const zeroVariance = 1e-9

// add adds a respondent's item scores when none of the items is missing.
func (a *relAcc) add(items []int, scores []float64) {
	for _, it := range items {
		if math.IsNaN(scores[it]) {
			return
		}
	}
	for j, it := range items {
		x := scores[it] - 50
		a.sum[j] += x
		row := a.cross[j*a.p:]
		for l := j; l < a.p; l++ {
			row[l] += x * (scores[items[l]] - 50)
		}
	}
	a.n++
}

// merge adds another accumulator over the same items.
func (a *relAcc) merge(b *relAcc) {
	for j := range a.p {
		a.sum[j] += b.sum[j]
	}
	for j := range a.cross {
		a.cross[j] += b.cross[j]
	}
	a.n += b.n
}

// cov is the sample covariance matrix (n − 1 denominator).
func (a *relAcc) cov() []float64 {
	c := make([]float64, a.p*a.p)
	n := float64(a.n)
	for j := range a.p {
		for l := j; l < a.p; l++ {
			v := (a.cross[j*a.p+l] - a.sum[j]*a.sum[l]/n) / (n - 1)
			c[j*a.p+l], c[l*a.p+j] = v, v
		}
	}
	return c
}

// reliability is Cronbach's α with each item's corrected item–total r and α
// if deleted (psych::alpha raw_alpha, r.drop, alpha.drop), or nil when it is
// not reported: under two items, under k complete cases, or an item with zero
// variance.
func (a *relAcc) reliability(codes []string, k int) (*Reliability, string) {
	if a == nil || a.p < 2 {
		return nil, AbsentFewItems
	}
	if a.n < k || a.n < 2 {
		return nil, AbsentFewCases
	}
	c := a.cov()
	tot := 0.0
	for j := range a.p {
		if c[j*a.p+j] < zeroVariance {
			return nil, AbsentZeroVariance
		}
		for l := range a.p {
			tot += c[j*a.p+l]
		}
	}
	// items that vary but cancel out (a reversed pair answered at the same
	// raw position) leave the total constant: α would be −Inf
	if tot < zeroVariance {
		return nil, AbsentZeroVariance
	}
	all := make([]bool, a.p)
	for j := range all {
		all[j] = true
	}
	out := &Reliability{Alpha: alphaOf(c, a.p, all), N: a.n}
	for j := range a.p {
		all[j] = false
		ir := ItemReliability{Item: codes[j]}
		// r.drop: the item against the sum of the others.
		rest, cov := 0.0, 0.0
		for x := range a.p {
			if x == j {
				continue
			}
			cov += c[j*a.p+x]
			for y := range a.p {
				if y != j {
					rest += c[x*a.p+y]
				}
			}
		}
		if rest < zeroVariance {
			ir.Absent = AbsentZeroVariance
		} else {
			ir.RDrop = finitePtr(cov / math.Sqrt(c[j*a.p+j]*rest))
			if a.p > 2 {
				ir.AlphaDrop = finitePtr(alphaOf(c, a.p, all))
			}
		}
		all[j] = true
		out.Items = append(out.Items, ir)
	}
	if math.IsNaN(out.Alpha) || math.IsInf(out.Alpha, 0) {
		return nil, AbsentZeroVariance
	}
	return out, ""
}

// alphaOf is Cronbach's α of the kept items: k/(k−1)·(1 − Σ var / var(sum)).
func alphaOf(c []float64, p int, keep []bool) float64 {
	kk, tr, tot := 0, 0.0, 0.0
	for x := range p {
		if !keep[x] {
			continue
		}
		kk++
		tr += c[x*p+x]
		for y := range p {
			if keep[y] {
				tot += c[x*p+y]
			}
		}
	}
	f := float64(kk)
	return f / (f - 1) * (1 - tr/tot)
}
