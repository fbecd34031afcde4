package analysis

import (
	"cmp"
	"math"
	"slices"
)

// cellMembers lists each unit×type's responses in ID order. Every figure
// of a cell sums its responses in this order, so a cell's figures depend
// on its content only, not on where its responses sit in the input: a
// period grown by appending new responses computes exactly what a fresh
// read in ID order does, and an unchanged cell computes what it did before.
func (m *model) cellMembers(rs []Response, nu int) [][]int {
	idx := make([]int32, len(rs))
	count := make([]int, nu*numTypes)
	for i := range rs {
		c := cell(m.unitIdx[rs[i].Unit], typeIndex(rs[i].Type))
		idx[i] = int32(c)
		count[c]++
	}
	all := make([]int, len(rs))
	cells := make([][]int, len(count))
	off := 0
	for c, n := range count {
		cells[c] = all[off : off : off+n]
		off += n
	}
	for i, c := range idx {
		cells[c] = append(cells[c], i)
	}
	parallel(len(cells), func(_, c int) {
		byID := func(a, b int) int { return cmp.Compare(rs[a].ID, rs[b].ID) }
		if !slices.IsSortedFunc(cells[c], byID) {
			slices.SortFunc(cells[c], byID)
		}
	})
	return cells
}

// tally groups the included responses by unit and type and counts their
// prevalence, free-text and reliability figures, cell by cell.
func (m *model) tally(rs []Response, included []bool, comp, elem []float64, tab [][256]float64, nu int) *scored {
	out := m.newScored(nu)
	out.comp, out.elem = comp, elem
	members := m.cellMembers(rs, nu)
	itemS := make([][]float64, workers())
	parallel(len(members), func(w, c int) {
		if itemS[w] == nil {
			itemS[w] = make([]float64, len(m.items))
		}
		m.tallyCell(rs, included, elem, tab, c, members[c], out, itemS[w])
	})
	return out
}

// tallyCell tallies cell c's responses into sc, writing only cell c's slots.
func (m *model) tallyCell(rs []Response, included []bool, elem []float64, tab [][256]float64, c int, members []int, sc *scored, itemS []float64) {
	ne, t := len(m.elems), c%numTypes
	sc.received[c] = len(members)
	for _, i := range members {
		r := &rs[i]
		if !included[i] {
			continue
		}
		sc.included[c]++
		for _, j := range m.exp {
			if a := r.Answers[j]; m.items[j].types[t] && (a == Yes || a == No) {
				k := c*len(m.exp) + m.items[j].sub
				sc.prevN[k]++
				if a == Yes {
					sc.prevYes[k]++
				}
			}
		}
		for _, j := range m.text {
			if m.items[j].types[t] && r.Answers[j] == 1 {
				sc.text[c*len(m.text)+m.items[j].sub]++
			}
		}
		any := false
		for e := range ne {
			if math.IsNaN(elem[i*ne+e]) {
				continue
			}
			any = true
			acc := sc.rel[c*ne+e]
			if acc == nil {
				continue
			}
			items := m.elemTyp[e][t]
			for _, j := range items {
				itemS[j] = tab[j][r.Answers[j]]
			}
			acc.add(items, itemS)
		}
		if any {
			sc.groups[c] = append(sc.groups[c], i)
		}
	}
}
