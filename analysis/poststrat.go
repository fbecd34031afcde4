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

// poststrat estimates the post-stratified mean of x over respondents
// labelled by their band (spi-method v2 §4), or returns why it is the
// unweighted mean. Bands are the populated keys of pop in sorted order (the
// roster's band order); a band holding fewer than minCell respondents is
// merged with its neighbour (the smaller of the two, the earlier on a tie)
// until every cell holds at least minCell, so weighting never switches off
// for a whole unit and no handful carries a large band's weight. Respondents
// without a band, or with one missing from the counts, form their own cell
// at their sample share (its population count W·n₀/n, the bands' counts
// scaled by 1 − n₀/n). The result equals R's postStratify on these cells.
func poststrat(x []float64, labels []string, pop map[string]int, N, minCell int) (est, string) {
	cells, Nh := collapse(labels, pop, minCell)
	if Nh == nil {
		return est{}, "no strata counts"
	}
	if len(Nh) == 1 {
		return est{}, "one cell after merging thin bands"
	}
	return psEstimate(x, cells, Nh, N), ""
}

// collapse assigns every label its post-stratification cell and returns the
// cells' population counts (nil when pop has no populated band). The
// no-band cell, when present, is the last one.
func collapse(labels []string, pop map[string]int, minCell int) ([]int, []float64) {
	var bands []string
	for s, c := range pop {
		if c > 0 {
			bands = append(bands, s)
		}
	}
	if len(bands) == 0 {
		return nil, nil
	}
	sort.Strings(bands)
	pos := make(map[string]int, len(bands))
	for i, b := range bands {
		pos[b] = i
	}
	nb := make([]int, len(bands))
	n0 := 0
	for _, l := range labels {
		if p, ok := pos[l]; ok {
			nb[p]++
		} else {
			n0++
		}
	}
	// groups of consecutive bands: first band of each group, and its count
	type group struct{ first, n int }
	gs := make([]group, len(bands))
	for i := range bands {
		gs[i] = group{i, nb[i]}
	}
	for len(gs) > 1 {
		thin := -1
		for i, g := range gs {
			if g.n < minCell && (thin < 0 || g.n < gs[thin].n) {
				thin = i
			}
		}
		if thin < 0 {
			break
		}
		into := thin - 1
		if thin == 0 || (thin+1 < len(gs) && gs[thin+1].n < gs[thin-1].n) {
			into = thin + 1
		}
		lo, hi := min(thin, into), max(thin, into)
		gs[lo].n += gs[hi].n
		gs = append(gs[:hi], gs[hi+1:]...)
	}
	bandCell := make([]int, len(bands))
	Nh := make([]float64, len(gs))
	W := 0.0
	for g := range gs {
		end := len(bands)
		if g+1 < len(gs) {
			end = gs[g+1].first
		}
		for b := gs[g].first; b < end; b++ {
			bandCell[b] = g
			Nh[g] += float64(pop[bands[b]])
		}
		W += Nh[g]
	}
	cells := make([]int, len(labels))
	if n0 > 0 {
		share := float64(n0) / float64(len(labels))
		for g := range Nh {
			Nh[g] *= 1 - share
		}
		Nh = append(Nh, W*share)
	}
	for i, l := range labels {
		if p, ok := pos[l]; ok {
			cells[i] = bandCell[p]
		} else {
			cells[i] = len(Nh) - 1
		}
	}
	// a band cell left without respondents (every band empty) cannot be
	// estimated: drop it, the others carry the weight
	cnt := make([]int, len(Nh))
	for _, c := range cells {
		cnt[c]++
	}
	remap := make([]int, len(Nh))
	var kept []float64
	for g, c := range cnt {
		remap[g] = len(kept)
		if c > 0 {
			kept = append(kept, Nh[g])
		}
	}
	for i := range cells {
		cells[i] = remap[cells[i]]
	}
	return cells, kept
}
