package analysis

import (
	"math"
	"sort"
)

// psEstimate is the post-stratified mean of x, whose values fall in strata h
// (0..len(Nh)−1) of population counts Nh, with the linearisation SE that R's
// survey::svymean reports for postStratify(svydesign(ids=~1, fpc=~N), ~h, Nh):
//
//	ȳ = Σ_h N_h ȳ_h / W,  W = Σ_h N_h
//	V = (1 − n/N) · n/(n−1) · Σ_h (N_h/(n_h W))² Σ_{i∈h} (y_i − ȳ_h)²
//
// (the influence values w_i(y_i − ȳ)/W residualised on the post-strata, then
// the one-stage SRS variance with fpc); no fpc when N is unknown or below n.
// Degrees of freedom n − 1, as degf() of that design.
func psEstimate(x []float64, h []int, Nh []float64, N int) est {
	H := len(Nh)
	nh := make([]int, H)
	sum := make([]float64, H)
	for i, v := range x {
		nh[h[i]]++
		sum[h[i]] += v
	}
	W := 0.0
	for _, v := range Nh {
		W += v
	}
	mean := 0.0
	for s := range H {
		sum[s] /= float64(nh[s])
		mean += Nh[s] * sum[s] / W
	}
	ss := 0.0
	for i, v := range x {
		s := h[i]
		g := Nh[s] / (float64(nh[s]) * W)
		d := v - sum[s]
		ss += g * g * d * d
	}
	n := len(x)
	f, below := fpc(n, N)
	se := math.Sqrt(ss*float64(n)/float64(n-1)) * f
	return est{mean: mean, se: se, df: float64(n - 1), n: n, popBelow: below}
}

// poststrat estimates the mean of x over respondents labelled by their
// post-stratum, or returns the reason it falls back to the unweighted mean:
// a label outside the population table, a populated stratum with fewer than
// k respondents (a cell under k is never used), or no table at all.
func poststrat(x []float64, labels []string, pop map[string]int, N, k int) (est, string) {
	if len(pop) == 0 {
		return est{}, "no strata counts"
	}
	keys := make([]string, 0, len(pop))
	for s, c := range pop {
		if c > 0 {
			keys = append(keys, s)
		}
	}
	sort.Strings(keys)
	pos := make(map[string]int, len(keys))
	Nh := make([]float64, len(keys))
	for i, s := range keys {
		pos[s] = i
		Nh[i] = float64(pop[s])
	}
	h := make([]int, len(x))
	nh := make([]int, len(keys))
	for i, l := range labels {
		p, ok := pos[l]
		if !ok {
			return est{}, "respondents outside the strata counts"
		}
		h[i] = p
		nh[p]++
	}
	for _, c := range nh {
		if c < k {
			return est{}, "a stratum cell under the minimum group size"
		}
	}
	return psEstimate(x, h, Nh, N), ""
}
