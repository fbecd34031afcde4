package analysis

import "math"

// scored holds the respondent-level scores and the counts of the included responses.
type scored struct {
	comp     []float64 // per response: component score, NaN when missing
	elem     []float64 // per response × element: element score, NaN when missing
	groups   [][]int   // per unit×type: included responses with some element score
	received []int     // per unit×type: all responses
	included []int     // per unit×type: included responses
	// incomplete counts per unit×type the paper responses with a skipped
	// required item, included or not.
	incomplete []int
	prevYes    []int // per unit×type × experience item
	prevN      []int
	text       []int     // per unit×type × text item: answers given
	rel        []*relAcc // per unit×type × element, nil when under two items
}

// cell is the index of a unit×type.
func cell(u, t int) int { return u*numTypes + t }

// scoreChunk is the number of responses one goroutine scores at a time; a
// fixed size keeps the floating-point summation order, and so the results,
// independent of the number of cores.
const scoreChunk = 1 << 16

// scoreTables maps every item's answer bytes to 0–100 scores (NaN: missing or unscored).
func (m *model) scoreTables() [][256]float64 {
	tab := make([][256]float64, len(m.items))
	for j := range m.items {
		for a := range 256 {
			tab[j][a] = itemScore(&m.items[j], byte(a))
		}
	}
	return tab
}

// respondentScores computes every response's element scores (mean of its
// non-missing item scores) and component score (element-weighted mean of its
// non-missing element scores), spi-method §3.1–3.4.
func (m *model) respondentScores(rs []Response, tab [][256]float64) (comp, elem []float64) {
	ne := len(m.elems)
	comp = make([]float64, len(rs))
	elem = make([]float64, len(rs)*ne)
	m.scoreInto(rs, tab, comp, elem, 0, func(int) bool { return false })
	return comp, elem
}

// scores is respondentScores reusing, with a memo, the scores of the
// positions that hold the response they held in its last call: the memo's
// arrays are scored in place, since no result keeps them.
func (m *model) scores(rs []Response, tab [][256]float64) (comp, elem []float64) {
	if m.mc == nil {
		return m.respondentScores(rs, tab)
	}
	mm, ne := m.mc.mm, len(m.elems)
	if cap(mm.comp) < len(rs) {
		grow := len(rs) + len(rs)/16 + 1024
		mm.comp = append(make([]float64, 0, grow), mm.comp...)
		mm.elem = append(make([]float64, 0, grow*ne), mm.elem...)
	}
	mm.comp, mm.elem = mm.comp[:len(rs)], mm.elem[:len(rs)*ne]
	m.scoreInto(rs, tab, mm.comp, mm.elem, m.mc.unchanged(), m.mc.same)
	return mm.comp, mm.elem
}

// scoreInto scores the responses from position from on but those skip
// names into comp and elem.
func (m *model) scoreInto(rs []Response, tab [][256]float64, comp, elem []float64, from int, skip func(i int) bool) {
	ne := len(m.elems)
	var byType [numTypes][]int
	for j, it := range m.items {
		for t := range numTypes {
			if it.types[t] && it.kind != Text {
				byType[t] = append(byType[t], j)
			}
		}
	}
	chunks := (len(rs) - from + scoreChunk - 1) / scoreChunk
	parallel(chunks, func(_, ch int) {
		sum := make([]float64, ne)
		cnt := make([]int, ne)
		for i := from + ch*scoreChunk; i < min(len(rs), from+(ch+1)*scoreChunk); i++ {
			if skip(i) {
				continue
			}
			ans := rs[i].Answers
			clear(sum)
			clear(cnt)
			for _, j := range byType[TypeIndex(rs[i].Type)] {
				if s := tab[j][ans[j]]; s == s {
					e := m.items[j].elem
					sum[e] += s
					cnt[e]++
				}
			}
			es := elem[i*ne : (i+1)*ne]
			wsum, w := 0.0, 0.0
			for e := range ne {
				if cnt[e] == 0 {
					es[e] = math.NaN()
					continue
				}
				es[e] = sum[e] / float64(cnt[e])
				if m.elemW[e] > 0 {
					wsum += m.elemW[e] * es[e]
					w += m.elemW[e]
				}
			}
			comp[i] = math.NaN()
			if w > 0 {
				comp[i] = wsum / w
			}
		}
	})
}

func (m *model) newScored(nu int) *scored {
	ne := len(m.elems)
	sc := &scored{
		groups:     make([][]int, nu*numTypes),
		received:   make([]int, nu*numTypes),
		included:   make([]int, nu*numTypes),
		incomplete: make([]int, nu*numTypes),
		prevYes:    make([]int, nu*numTypes*len(m.exp)),
		prevN:      make([]int, nu*numTypes*len(m.exp)),
		text:       make([]int, nu*numTypes*len(m.text)),
		rel:        make([]*relAcc, nu*numTypes*ne),
	}
	// one backing array and one block of accumulators for every cell and element
	size, count := 0, 0
	for c := range nu * numTypes {
		for e := range ne {
			if p := len(m.elemTyp[e][c%numTypes]); p >= 2 {
				size += p + p*p
				count++
			}
		}
	}
	buf := make([]float64, size)
	accs := make([]relAcc, count)
	for c := range nu * numTypes {
		for e := range ne {
			if p := len(m.elemTyp[e][c%numTypes]); p >= 2 {
				a := &accs[0]
				accs = accs[1:]
				a.p, a.sum, a.cross, buf = p, buf[:p:p], buf[p:p+p*p:p+p*p], buf[p+p*p:]
				sc.rel[c*ne+e] = a
			}
		}
	}
	return sc
}
