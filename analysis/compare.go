package analysis

import (
	"math"

	"gonum.org/v1/gonum/stat"
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
}

// Compare compares the units present in both periods (spi-method §4): per
// component Welch's t-test on the respondents' component scores (R t.test,
// no fpc); for the index the difference with SE √(SE₁² + SE₂²) and
// Welch–Satterthwaite df from the two composites. Component tests need
// Results.Scores, which JSON does not carry: results read back from JSON
// (without Scores restored) report component changes as suppressed.
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
		ch := UnitChange{Unit: b.Code, Name: b.Name, Partial: a.Partial || b.Partial, Components: map[string]*Difference{}}
		if a.Suppressed || b.Suppressed {
			ch.Index = Difference{Suppressed: true}
		} else {
			ch.Index = indexDifference(*a.Index, *a.SE, *a.DF, *b.Index, *b.SE, *b.DF)
		}
		for _, t := range Types() {
			ca, cb := a.Components[t], b.Components[t]
			if ca == nil && cb == nil {
				continue
			}
			x1, x2 := earlier.Scores[a.Code][t], later.Scores[b.Code][t]
			if ca == nil || cb == nil || ca.Suppressed || cb.Suppressed || len(x1) < 2 || len(x2) < 2 {
				ch.Components[t] = &Difference{Suppressed: true}
				continue
			}
			ch.Components[t] = welch(x1, x2)
		}
		out = append(out, ch)
	}
	return out
}

// welch is Welch's two-sample t-test of mean(x2) − mean(x1).
func welch(x1, x2 []float64) *Difference {
	m1, v1 := stat.MeanVariance(x1, nil)
	m2, v2 := stat.MeanVariance(x2, nil)
	n1, n2 := float64(len(x1)), float64(len(x2))
	a, b := v1/n1, v2/n2
	se := math.Sqrt(a + b)
	df := welchSatterthwaite([]float64{a, b}, []float64{n1 - 1, n2 - 1})
	return difference(m1, m2, se, df)
}

// indexDifference compares two composite indices.
func indexDifference(i1, se1, df1, i2, se2, df2 float64) Difference {
	a, b := se1*se1, se2*se2
	df := welchSatterthwaite([]float64{a, b}, []float64{df1, df2})
	return *difference(i1, i2, math.Sqrt(a+b), df)
}

// difference fills a Difference from the two means, its SE and df.
func difference(m1, m2, se, df float64) *Difference {
	d := m2 - m1
	out := &Difference{Earlier: ptr(m1), Later: ptr(m2), Diff: ptr(d), SE: ptr(se), DF: finitePtr(df)}
	if se == 0 {
		out.CI = &[2]float64{d, d}
		return out
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	h := t.Quantile(0.975) * se
	out.CI = &[2]float64{d - h, d + h}
	out.P = ptr(2 * t.CDF(-math.Abs(d)/se))
	return out
}
