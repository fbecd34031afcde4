package analysis

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Difference is a change between two periods (later − earlier) with its
// 95 % CI and two-sided p-value; figures are null when either side is suppressed.
type Difference struct {
	Earlier    *float64    `json:"earlier"`
	Later      *float64    `json:"later"`
	Diff       *float64    `json:"diff"`
	SE         *float64    `json:"se"`
	CI         *[2]float64 `json:"ci"`
	DF         *float64    `json:"df"`
	P          *float64    `json:"p"` // null when the SE is zero
	Suppressed bool        `json:"suppressed"`
}

// UnitChange is a unit's change between two periods.
type UnitChange struct {
	Unit       string                 `json:"unit"`
	Name       string                 `json:"name"`
	Index      Difference             `json:"index"`
	Partial    bool                   `json:"partial"` // either index is partial
	Components map[string]*Difference `json:"components"`
	// Elements holds the change of each element score by type.
	Elements map[string]map[string]*Difference `json:"elements"`
}

// Compare compares the units present in both periods (spi-method v2 §4):
// for the index, each component and each element, the difference of the
// two *published* estimates (with the weights, fpc and exclusions they were
// published with), SE √(SE₁² + SE₂²), Welch–Satterthwaite df from the two
// estimates' dfs, a 95 % t interval and a two-sided p-value. So a packet
// never shows a component change that contradicts its own published scores,
// and identical periods show zero change everywhere. A figure suppressed
// (or withheld) on either side gives a suppressed difference.
func Compare(earlier, later *Results) []UnitChange {
	if earlier == nil || later == nil {
		return nil
	}
	before := map[string]*UnitResult{}
	for i := range earlier.Units {
		before[earlier.Units[i].Code] = &earlier.Units[i]
	}
	var out []UnitChange
	for i := range later.Units {
		b := &later.Units[i]
		a, ok := before[b.Code]
		if !ok {
			continue
		}
		ch := UnitChange{Unit: b.Code, Name: b.Name, Partial: a.Partial || b.Partial,
			Components: map[string]*Difference{}, Elements: map[string]map[string]*Difference{}}
		if a.Suppressed || b.Suppressed || a.Index == nil || b.Index == nil {
			ch.Index = Difference{Suppressed: true}
		} else {
			ch.Index = estimateDifference(*a.Index, *a.SE, a.DF, *b.Index, *b.SE, b.DF)
		}
		for _, t := range Types() {
			ca, cb := a.Components[t], b.Components[t]
			if ca == nil && cb == nil {
				continue
			}
			if ca == nil || cb == nil {
				ch.Components[t] = &Difference{Suppressed: true}
				continue
			}
			ch.Components[t] = figureDifference(ca.Figure, ca.DF, cb.Figure, cb.DF)
			els := map[string]*Difference{}
			for code, eb := range cb.Elements {
				ea := ca.Elements[code]
				if ea == nil {
					els[code] = &Difference{Suppressed: true}
					continue
				}
				els[code] = figureDifference(ea.Figure, nil, eb.Figure, nil)
			}
			ch.Elements[t] = els
		}
		out = append(out, ch)
	}
	return out
}

// figureDifference compares two published figures; df defaults to n − 1.
func figureDifference(a Figure, dfa *float64, b Figure, dfb *float64) *Difference {
	if a.Suppressed || b.Suppressed || a.Score == nil || b.Score == nil || a.SE == nil || b.SE == nil {
		return &Difference{Suppressed: true}
	}
	if dfa == nil && a.N != nil {
		dfa = ptr(float64(*a.N - 1))
	}
	if dfb == nil && b.N != nil {
		dfb = ptr(float64(*b.N - 1))
	}
	d := estimateDifference(*a.Score, *a.SE, dfa, *b.Score, *b.SE, dfb)
	return &d
}

// estimateDifference compares two estimates with their SEs and dfs.
func estimateDifference(m1, se1 float64, df1 *float64, m2, se2 float64, df2 *float64) Difference {
	a, b := se1*se1, se2*se2
	dfs := []float64{0, 0}
	if df1 != nil {
		dfs[0] = *df1
	}
	if df2 != nil {
		dfs[1] = *df2
	}
	df := welchSatterthwaite([]float64{a, b}, dfs)
	return *difference(m1, m2, math.Sqrt(a+b), df)
}

// difference fills a Difference from the two means, its SE and df; the CI
// is the point and the p-value absent when the SE is zero or df undefined.
func difference(m1, m2, se, df float64) *Difference {
	d := m2 - m1
	out := &Difference{Earlier: ptr(m1), Later: ptr(m2), Diff: ptr(d), SE: ptr(se), DF: finitePtr(df)}
	if !(se > 0) || !(df > 0) || math.IsInf(df, 0) {
		out.CI = &[2]float64{d, d}
		return out
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	h := t.Quantile(0.975) * se
	out.CI = &[2]float64{d - h, d + h}
	out.P = finitePtr(2 * t.CDF(-math.Abs(d)/se))
	return out
}
