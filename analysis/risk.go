package analysis

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// riskElements lists the elements where some shown type scores in a risk
// band, or whose CI upper end lies below the city's pooled score (spi-method §5).
func (r *run) riskElements(u int) []RiskElement {
	out := []RiskElement{}
	for e, code := range r.m.elems {
		re := RiskElement{Element: code, Types: []string{}}
		for t, name := range Types() {
			f := r.elem[cell(u, t)*r.ne+e]
			if !f.shown {
				continue
			}
			ci := f.ci()
			city := r.cityElem[t*r.ne+e]
			var cityScore *float64
			if city.shown {
				cityScore = ptr(city.e.mean)
			}
			add := func(reason string) {
				if len(re.Types) == 0 || re.Types[len(re.Types)-1] != name {
					re.Types = append(re.Types, name)
				}
				re.Reasons = append(re.Reasons, RiskReason{Type: name, Reason: reason, Score: f.e.mean, CIHigh: ci[1], City: cityScore})
			}
			if Category(r.m.s, f.e.mean).Risk {
				add(RiskBand)
			}
			if city.shown && ci[1] < city.e.mean {
				add(RiskBelowCity)
			}
		}
		if len(re.Reasons) > 0 {
			out = append(out, re)
		}
	}
	return out
}

// hotSpots lists the titik rawan of a unit: shown prevalence cells of
// experience items where "yes" is the bad answer, at least HotSpotShare or
// significantly above the rest of the city (one-sided pooled two-proportion
// z-test, z > qnorm(0.975)).
func (r *run) hotSpots(u int) []HotSpot {
	out := []HotSpot{}
	nx := len(r.m.exp)
	zc := distuv.UnitNormal.Quantile(0.975)
	for x, it := range r.m.exp {
		info := &r.m.items[it]
		if info.reverse {
			continue
		}
		for t, name := range Types() {
			if !info.types[t] {
				continue
			}
			p := r.prev[cell(u, t)*nx+x]
			if !p.shown {
				continue
			}
			city := r.cityPrev[t*nx+x]
			share, lo, hi := Wilson(p.yes, p.n)
			var reasons []string
			if share >= r.m.s.HotSpotShare {
				reasons = append(reasons, HotShare)
			}
			if aboveRest(p.yes, p.n, city.yes-p.yes, city.n-p.n) > zc {
				reasons = append(reasons, HotAboveCity)
			}
			if len(reasons) == 0 {
				continue
			}
			hs := HotSpot{Item: info.code, Element: r.m.elems[info.elem], Type: name, Prevalence: share,
				CI: [2]float64{lo, hi}, N: p.n, Reasons: reasons}
			if city.shown {
				hs.City = ptr(float64(city.yes) / float64(city.n))
			}
			out = append(out, hs)
		}
	}
	return out
}

// aboveRest is the pooled two-proportion z statistic of a unit's share
// against the rest of the city; 0 when it is undefined.
func aboveRest(y1, n1, y2, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 0
	}
	p1, p2 := float64(y1)/float64(n1), float64(y2)/float64(n2)
	pp := float64(y1+y2) / float64(n1+n2)
	v := pp * (1 - pp) * (1/float64(n1) + 1/float64(n2))
	if v <= 0 {
		return 0
	}
	return (p1 - p2) / math.Sqrt(v)
}
