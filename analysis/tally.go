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

// cells returns the model's unit×type members (cellMembers), read once.
func (m *model) cells(rs []Response) [][]int {
	if m.members == nil {
		m.members = m.memoMembers(rs)
	}
	return m.members
}

// memoMembers is cellMembers reusing, with a memo, the last call's
// members when the responses it covered are unchanged at their positions:
// the responses appended since join their cells (copied before they
// grow, as the last call's results may hold them), which are sorted again.
func (m *model) memoMembers(rs []Response) [][]int {
	mc := m.mc
	if mc == nil {
		return m.cellMembers(rs, len(m.unitIdx))
	}
	old := mc.mm.members
	from := len(old.h)
	if !mc.valid || old.h == nil || from > len(rs) || !slices.Equal(old.h, mc.h[:from]) {
		cells := m.cellMembers(rs, len(m.unitIdx))
		mc.mm.members = membersMemo{h: mc.h, cells: cells}
		return cells
	}
	cells := slices.Clone(old.cells)
	grown := make([]bool, len(cells))
	for i := from; i < len(rs); i++ {
		c := cell(m.unitIdx[rs[i].Unit], typeIndex(rs[i].Type))
		if !grown[c] {
			cells[c], grown[c] = slices.Clip(cells[c]), true
		}
		cells[c] = append(cells[c], i)
	}
	byID := func(a, b int) int { return cmp.Compare(rs[a].ID, rs[b].ID) }
	for c := range cells {
		if grown[c] && !slices.IsSortedFunc(cells[c], byID) {
			slices.SortFunc(cells[c], byID)
		}
	}
	mc.mm.members = membersMemo{h: mc.h, cells: cells}
	return cells
}

// tally groups the included responses by unit and type and counts their
// prevalence, free-text and reliability figures, cell by cell. With a memo,
// a cell whose members hold the same responses at the same positions with
// the same inclusion is copied from the last call; one whose last members
// are, in order, the first of its members now (responses appended since)
// starts from the last call's tallies and adds the rest: every tally is a
// sum in member order, so it equals the full one to the bit.
func (m *model) tally(rs []Response, included []bool, comp, elem []float64, tab [][256]float64, nu int) *scored {
	out := m.newScored(nu)
	out.comp, out.elem = comp, elem
	members := m.cells(rs)
	keys := make([]uint64, len(members))
	itemS := make([][]float64, workers())
	parallel(len(members), func(w, c int) {
		if itemS[w] == nil {
			itemS[w] = make([]float64, len(m.items))
		}
		from := 0
		if m.mc != nil {
			old, ok := m.mc.mm.tally[c]
			ok = ok && m.mc.valid && old.n <= len(members[c])
			var prefix uint64
			keys[c], prefix = m.mc.tallyKey(members[c], included, old.n)
			switch {
			case ok && old.n == len(members[c]) && old.key == keys[c]:
				m.copyCell(out, old.sc, c)
				return
			case ok && prefix == old.key:
				m.copyCell(out, old.sc, c)
				out.groups[c] = slices.Clip(out.groups[c]) // appended to below: never into the last call's
				from = old.n
			}
		}
		m.tallyCell(rs, included, elem, tab, c, members[c], from, out, itemS[w])
	})
	if m.mc != nil {
		for c, k := range keys {
			m.mc.mm.tally[c] = tallyMemo{key: k, n: len(members[c]), sc: out}
		}
		m.mc.tallyKeys = keys
	}
	return out
}

// tallyKey is the key of a cell's tally: its members' positions, contents
// and inclusion, in ID order; prefix is the key of its first n members.
func (mc *memoCall) tallyKey(members []int, included []bool, n int) (key, prefix uint64) {
	k := uint64(0x7a11)
	for j, i := range members {
		if j == n {
			prefix = k
		}
		// one mix per member of its hash, position (spread by an odd
		// constant) and inclusion folded into one word: mixing the three
		// in turn cost three times as much, over every member of every
		// cell, and showed in the incremental profile
		v := mc.h[i] ^ uint64(i)*0x9e3779b97f4a7c15
		if included[i] {
			v ^= 1
		}
		k = mix(k, v)
	}
	if n == len(members) {
		prefix = k
	}
	return k, prefix
}

// copyCell copies cell c's tallies from an earlier call's.
func (m *model) copyCell(dst, src *scored, c int) {
	ne, nx, nt := len(m.elems), len(m.exp), len(m.text)
	dst.received[c], dst.included[c], dst.groups[c] = src.received[c], src.included[c], src.groups[c]
	copy(dst.prevYes[c*nx:(c+1)*nx], src.prevYes[c*nx:(c+1)*nx])
	copy(dst.prevN[c*nx:(c+1)*nx], src.prevN[c*nx:(c+1)*nx])
	copy(dst.text[c*nt:(c+1)*nt], src.text[c*nt:(c+1)*nt])
	for e := range ne {
		if a, b := dst.rel[c*ne+e], src.rel[c*ne+e]; a != nil {
			a.n = b.n
			copy(a.sum, b.sum)
			copy(a.cross, b.cross)
		}
	}
}

// tallyCell tallies cell c's responses into sc, writing only cell c's
// slots: those from members[from:] onto the tallies of members[:from].
func (m *model) tallyCell(rs []Response, included []bool, elem []float64, tab [][256]float64, c int, members []int, from int, sc *scored, itemS []float64) {
	ne, t := len(m.elems), c%numTypes
	sc.received[c] = len(members)
	for _, i := range members[from:] {
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
