package analysis

import "math"

// figure is an estimate with its publication status.
type figure struct {
	e        est
	mo       moments // of the unweighted values, for pooling into the city
	half     float64 // half-width of the 95 % t interval
	shown    bool
	reason   string // why it is suppressed
	weighted bool
	note     string // why weighting fell back to the unweighted mean
	// city figures: EstStratified or EstPooled, and the units covered
	estimator string
	units     []int
}

// City estimators (Component.Estimator).
const (
	EstStratified = "stratified" // Σ N_u/N ȳ_u over the published units, fpc
	EstPooled     = "pooled"     // respondent-pooled: some unit's N unknown
)

// ci is the clamped 95 % t interval.
func (f figure) ci() [2]float64 {
	return [2]float64{clamp100(f.e.mean - f.half), clamp100(f.e.mean + f.half)}
}

// hide suppresses the figure for a reason, keeping the first reason.
func (f *figure) hide(reason string) {
	if f.shown || f.reason == "" {
		f.reason = reason
	}
	f.shown = false
}

// public is the figure as published: nothing but the reason when suppressed.
func (f figure) public() Figure {
	if !f.shown {
		return Figure{Suppressed: true, Suppression: f.reason}
	}
	mean, se, n, ci := f.e.mean, f.e.se, f.e.n, f.ci()
	return Figure{Score: &mean, SE: &se, CI: &ci, N: &n, Weighted: f.weighted}
}

// estimateInput is what an estimate is computed over.
type estimateInput struct {
	x      []float64
	labels []string       // post-stratum of each value, nil when unweighted
	pop    map[string]int // post-stratum population counts
	N      int            // population for the fpc, 0 when unknown
	// minCell is the least post-stratification cell (Settings.MinCell)
	minCell int
}

// estimate computes a mean figure, post-stratified when labels are given,
// suppressed when it rests on fewer than k respondents.
func (m *model) estimate(in estimateInput) figure {
	mo := momentsOf(in.x)
	if mo.n < m.k {
		return figure{e: est{n: mo.n}, mo: mo, reason: SuppressMinGroup}
	}
	f := figure{shown: true, mo: mo}
	if in.labels != nil {
		e, why := poststrat(in.x, in.labels, in.pop, in.N, in.minCell)
		if why == "" {
			f.e, f.weighted = e, true
		}
		f.note = why
	}
	if !f.weighted {
		f.e = mo.estimate(in.N)
	}
	if f.e.se > 0 {
		f.half = m.tq.quantile(f.e.df) * f.e.se
	}
	return f
}

// pooled is the unweighted estimate over the units' values, from their
// moments, suppressed under k.
func (m *model) pooled(mo moments, N int) figure {
	if mo.n < m.k {
		return figure{e: est{n: mo.n}, mo: mo, reason: SuppressMinGroup}
	}
	f := figure{shown: true, mo: mo, e: mo.estimate(N)}
	if f.e.se > 0 {
		f.half = m.tq.quantile(f.e.df) * f.e.se
	}
	return f
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// finitePtr returns a pointer to v, or nil when v is not finite.
func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// complement applies complementary suppression to the children of a shown
// total: while some child with respondents is hidden but fewer than two such
// children, or fewer than k respondents together, are hidden, the smallest
// shown child is hidden too, so no hidden child can be recovered by
// subtracting the shown ones from the total. n holds each child's
// respondents, shown whether it is published; it returns the children to hide.
func complement(n []int, shown []bool, k int) []int {
	hidden, hiddenN := 0, 0
	for i := range n {
		if !shown[i] && n[i] > 0 {
			hidden++
			hiddenN += n[i]
		}
	}
	if hidden == 0 {
		return nil
	}
	vis := make([]bool, len(shown))
	copy(vis, shown)
	var out []int
	for hidden < 2 || hiddenN < k {
		best := -1
		for i := range n {
			if vis[i] && (best < 0 || n[i] < n[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		vis[best] = false
		out = append(out, best)
		hidden++
		hiddenN += n[best]
	}
	return out
}
