package analysis

import "math"

// scored holds the respondent-level scores and counts of the included responses.
type scored struct {
	comp     []float64 // per response: component score, NaN when excluded or missing
	elem     []float64 // per response × element: element score, NaN when missing
	groups   [][]int   // per unit×type: included responses
	received []int     // per unit×type: all responses
	included []int     // per unit×type: included responses
	prevYes  []int     // per unit×type × experience item
	prevN    []int
	text     []int     // per unit×type × text item: answers given
	rel      []*relAcc // per unit×type × element, nil when under two items
	units    int
}

// cell is the index of a unit×type.
func cell(u, t int) int { return u*numTypes + t }

// score computes every included response's item, element and component
// scores (spi-method §3.1–3.4) and accumulates prevalence, text and
// reliability counts.
func (m *model) score(in Input, included []bool) *scored {
	nu, ne := len(in.Units), len(m.elems)
	sc := &scored{
		comp:     make([]float64, len(in.Responses)),
		elem:     make([]float64, len(in.Responses)*ne),
		groups:   make([][]int, nu*numTypes),
		received: make([]int, nu*numTypes),
		included: make([]int, nu*numTypes),
		prevYes:  make([]int, nu*numTypes*len(m.exp)),
		prevN:    make([]int, nu*numTypes*len(m.exp)),
		text:     make([]int, nu*numTypes*len(m.text)),
		rel:      make([]*relAcc, nu*numTypes*ne),
		units:    nu,
	}
	for u := range nu {
		for t := range numTypes {
			for e := range ne {
				if p := len(m.elemTyp[e][t]); p >= 2 {
					sc.rel[cell(u, t)*ne+e] = newRelAcc(p)
				}
			}
		}
	}
	itemS := make([]float64, len(m.items))
	sum := make([]float64, ne)
	cnt := make([]int, ne)
	for i := range in.Responses {
		r := &in.Responses[i]
		u, t := m.unitIdx[r.Unit], typeIndex(r.Type)
		c := cell(u, t)
		sc.received[c]++
		es := sc.elem[i*ne : (i+1)*ne]
		sc.comp[i] = math.NaN()
		for e := range es {
			es[e] = math.NaN()
		}
		if !included[i] {
			continue
		}
		sc.included[c]++
		clear(sum)
		clear(cnt)
		for j := range m.items {
			it := &m.items[j]
			itemS[j] = math.NaN()
			if !it.types[t] {
				continue
			}
			a := r.Answers[j]
			switch it.kind {
			case Text:
				if a == 1 {
					sc.text[c*len(m.text)+it.sub]++
				}
				continue
			case Experience:
				if a == Yes || a == No {
					k := c*len(m.exp) + it.sub
					sc.prevN[k]++
					if a == Yes {
						sc.prevYes[k]++
					}
				}
			}
			s := itemScore(it, a)
			if math.IsNaN(s) {
				continue
			}
			itemS[j] = s
			sum[it.elem] += s
			cnt[it.elem]++
		}
		wsum, w, any := 0.0, 0.0, false
		for e := range ne {
			if cnt[e] == 0 {
				continue
			}
			any = true
			es[e] = sum[e] / float64(cnt[e])
			if m.elemW[e] > 0 {
				wsum += m.elemW[e] * es[e]
				w += m.elemW[e]
			}
			if acc := sc.rel[c*ne+e]; acc != nil {
				acc.add(m.elemTyp[e][t], itemS)
			}
		}
		if w > 0 {
			sc.comp[i] = wsum / w
		}
		if any {
			sc.groups[c] = append(sc.groups[c], i)
		}
	}
	return sc
}
