package analysis

import "math"

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
	band := Category(m.s, idx)
	return IndexFigure{
		Index:         &idx,
		SE:            &se,
		CI:            &[2]float64{clamp100(raw - half), clamp100(raw + half)},
		Margin:        &half,
		DF:            &df,
		Category:      band.Slug,
		CategoryLabel: &band.Label,
		Partial:       partial,
	}
}
