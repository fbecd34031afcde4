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
		c := cell(m.unitIdx[rs[i].Unit], TypeIndex(rs[i].Type))
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
// the responses appended since join their cells in ID order (in new
// lists: the last call's results may hold the old ones).
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
	added := map[int][]int{} // by cell: the positions from `from` on
	for i := from; i < len(rs); i++ {
		c := cell(m.unitIdx[rs[i].Unit], TypeIndex(rs[i].Type))
		added[c] = append(added[c], i)
	}
	byID := func(a, b int) int { return cmp.Compare(rs[a].ID, rs[b].ID) }
	for c, add := range added {
		cells[c] = mergeMembers(rs, cells[c], add, byID)
	}
	mc.mm.members = membersMemo{h: mc.h, cells: cells}
	m.extendedFrom = from
	return cells
}

// mergeMembers returns a new list of old's members (in ID order) and
// add's. Each added one finds its place by binary search, so the old
// members' ids, scattered over a national period's responses, are read
// a few times instead of all of them: checking and sorting the grown
// cells took ~5 ms of an update of 1,000 responses, this ~1 ms.
func mergeMembers(rs []Response, old, add []int, byID func(a, b int) int) []int {
	slices.SortFunc(add, byID)
	out := make([]int, 0, len(old)+len(add))
	lo := 0
	for _, a := range add {
		// ids are unique (the primary key): after the last old one below it
		k, _ := slices.BinarySearchFunc(old[lo:], a, func(o, a int) int {
			if byID(o, a) <= 0 {
				return -1
			}
			return 1
		})
		out = append(append(out, old[lo:lo+k]...), a)
		lo += k
	}
	return append(out, old[lo:]...)
}

// tally groups the included responses by unit and type and counts their
// prevalence, free-text and reliability figures, cell by cell. With a memo,
// a cell whose members hold the same responses at the same positions with
// the same inclusion is copied from the last call; one whose members from
// the last call are unchanged, with responses appended since, starts from
// the last call's tallies and adds the new ones. Every tally is a sum in
// member (ID) order, so this equals the full one to the bit when the new
// members come last in ID order, or in any order when the sums are exact
// (exactTypes): response ids are random, so new members land anywhere.
func (m *model) tally(rs []Response, included []bool, comp, elem []float64, tab [][256]float64, nu int) *scored {
	// With a memo, the last call's tallies are updated in place: no result
	// keeps them, and an unchanged cell is then not even copied.
	var out *scored
	inPlace := m.mc != nil && m.mc.valid && m.mc.mm.scored != nil && len(m.mc.mm.scored.received) == nu*numTypes
	if inPlace {
		out = m.mc.mm.scored
	} else {
		out = m.newScored(nu)
	}
	out.comp, out.elem = comp, elem
	members := m.cells(rs)
	keys := make([]uint64, len(members))
	bufs := make([]*tallyBuf, workers())
	oldLen := 0 // the last call's responses: positions from oldLen on are new
	var exact [numTypes]bool
	if m.mc != nil && m.mc.valid {
		oldLen = len(m.mc.mm.h)
		exact = m.exactTypes(tab)
	}
	clean := m.cleanCells(rs, members, included)
	parallel(len(members), func(w, c int) {
		if bufs[w] == nil {
			bufs[w] = m.newTallyBuf()
		}
		add := members[c]
		if m.mc != nil {
			old, ok := m.mc.mm.tally[c]
			if ok && clean != nil && clean[c] {
				keys[c] = old.key
				if old.sc != out {
					m.copyCell(out, old.sc, c)
				}
				return
			}
			var k tallyKeys
			keys[c], k = m.mc.tallyKey(rs, members[c], included, oldLen)
			ok = ok && m.mc.valid && old.key == k.old && old.n == k.n && len(members[c]) < maxExactCell
			switch {
			case ok && k.n == len(members[c]):
				if old.sc != out {
					m.copyCell(out, old.sc, c)
				}
				return
			case ok && (k.tail || exact[c%numTypes]):
				if old.sc != out {
					m.copyCell(out, old.sc, c)
				}
				add = make([]int, 0, len(members[c])-k.n)
				for _, i := range members[c] {
					if i >= oldLen {
						add = append(add, i)
					}
				}
				kept := len(out.groups[c])
				out.groups[c] = slices.Clip(out.groups[c]) // appended to below: never into the last call's
				m.tallyCell(rs, included, elem, tab, c, len(members[c]), add, out, bufs[w])
				if !k.tail {
					out.groups[c] = mergeMembers(rs, out.groups[c][:kept], out.groups[c][kept:], func(a, b int) int { return cmp.Compare(rs[a].ID, rs[b].ID) })
				}
				return
			}
		}
		if inPlace {
			m.resetCell(out, c)
		}
		m.tallyCell(rs, included, elem, tab, c, len(members[c]), add, out, bufs[w])
	})
	if m.mc != nil {
		m.mc.mm.scored, m.mc.mm.tallied = out, tallied{members: members, included: included}
		for c, k := range keys {
			m.mc.mm.tally[c] = tallyMemo{key: k, n: len(members[c]), sc: out}
		}
		m.mc.tallyKeys = keys
	}
	return out
}

// cleanCells reports the cells whose tally the memo holds without
// looking at their members: the same members (the same slice: memoMembers
// keeps an unchanged cell's, at the same positions with the same
// responses) with the same inclusion as at the memo's last tally. The
// inclusion is compared over all positions at once, which is cheap; the
// few that changed make their cells unclean. Nil without a memo.
func (m *model) cleanCells(rs []Response, members [][]int, included []bool) []bool {
	mc := m.mc
	if mc == nil || !mc.valid || m.extendedFrom < 0 {
		return nil
	}
	last := mc.mm.tallied
	if len(last.members) != len(members) || len(last.included) > len(included) {
		return nil
	}
	clean := make([]bool, len(members))
	for c, mem := range members {
		old := last.members[c]
		clean[c] = len(mem) == len(old) && (len(mem) == 0 || &mem[0] == &old[0])
	}
	for i, inc := range last.included {
		if included[i] != inc {
			clean[cell(m.unitIdx[rs[i].Unit], TypeIndex(rs[i].Type))] = false
		}
	}
	return clean
}

// maxExactCell bounds a cell's members for exactTypes: 2²⁵ products of
// magnitude ≤ 2500 on a grid of 2⁻¹⁶ sum below 2⁵³, exactly.
const maxExactCell = 1 << 25

// exactTypes reports, by type, whether every reliability sum of the type
// is exact: each item score less 50 a multiple of 2⁻⁸ (5-point scales:
// −50, −25, 0, 25, 50), so every sum and cross-product sum of a cell under
// maxExactCell members is exact and does not depend on the order of its
// terms. The counts are integers, exact in any order too.
func (m *model) exactTypes(tab [][256]float64) [numTypes]bool {
	var out [numTypes]bool
	for t := range numTypes {
		out[t] = true
		for e := range m.elems {
			if len(m.elemTyp[e][t]) < 2 {
				continue // no reliability accumulator
			}
			for _, j := range m.elemTyp[e][t] {
				for _, s := range tab[j] {
					if x := (s - 50) * 256; s == s && x != math.Trunc(x) {
						out[t] = false
					}
				}
			}
		}
	}
	return out
}

// tallyKeys describes a cell's members from the last call: their key, their
// number, and whether they all come before the new members in ID order.
type tallyKeys struct {
	old  uint64
	n    int
	tail bool
}

// tallyKey is the key of a cell's tally: its members' positions, contents
// and inclusion, in ID order; old describes those of its members at the
// positions of the last call (below oldLen).
func (mc *memoCall) tallyKey(rs []Response, members []int, included []bool, oldLen int) (uint64, tallyKeys) {
	k, old := uint64(0x7a11), tallyKeys{old: 0x7a11, tail: true}
	seenNew := false
	for _, i := range members {
		// one mix per member of its hash, position (spread by an odd
		// constant) and inclusion folded into one word: mixing the three
		// in turn cost three times as much, over every member of every
		// cell, and showed in the incremental profile
		v := mc.h[i] ^ uint64(i)*0x9e3779b97f4a7c15
		if included[i] {
			v ^= 1
		}
		k = mix(k, v)
		if i < oldLen {
			old.old = mix(old.old, v)
			old.n++
			old.tail = old.tail && !seenNew
		} else {
			seenNew = true
		}
	}
	return k, old
}

// copyCell copies cell c's tallies from an earlier call's.
func (m *model) copyCell(dst, src *scored, c int) {
	ne, nx, nt := len(m.elems), len(m.exp), len(m.text)
	dst.received[c], dst.included[c], dst.groups[c] = src.received[c], src.included[c], src.groups[c]
	dst.incomplete[c] = src.incomplete[c]
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

// resetCell empties cell c's tallies.
func (m *model) resetCell(sc *scored, c int) {
	ne, nx, nt := len(m.elems), len(m.exp), len(m.text)
	sc.received[c], sc.included[c], sc.incomplete[c], sc.groups[c] = 0, 0, 0, nil
	clear(sc.prevYes[c*nx : (c+1)*nx])
	clear(sc.prevN[c*nx : (c+1)*nx])
	clear(sc.text[c*nt : (c+1)*nt])
	for _, a := range sc.rel[c*ne : (c+1)*ne] {
		if a != nil {
			a.n = 0
			clear(a.sum)
			clear(a.cross)
		}
	}
}

// gatherBatch is how many members of a cell tallyCell and coachCells
// copy side by side before working on them.
const gatherBatch = 64

// tallyBuf is a worker's scratch for tallyCell: the answers and element
// scores of a batch of included members, copied side by side, and their
// item scores.
type tallyBuf struct {
	pos   []int
	ans   []byte
	elem  []float64
	itemS []float64
}

func (m *model) newTallyBuf() *tallyBuf {
	return &tallyBuf{pos: make([]int, 0, gatherBatch), ans: make([]byte, gatherBatch*len(m.items)),
		elem: make([]float64, gatherBatch*len(m.elems)), itemS: make([]float64, len(m.items))}
}

// tallyCell tallies the responses add of cell c, which has received
// members, into sc (onto what it holds), writing only cell c's slots.
// Members lie scattered over a national period's responses, answers and
// element scores, and the work per member is long enough that the
// processor waited for each one's cache misses in turn; a batch is first
// copied side by side by a short loop, which keeps many misses in flight,
// then tallied in the same (ID) order: BenchmarkCompute's tally took
// 0.21–0.25 CPU-s per compute instead of 0.31–0.39 (pprof, two runs of 4
// computes each, alternated, load average 5).
func (m *model) tallyCell(rs []Response, included []bool, elem []float64, tab [][256]float64, c, received int, add []int, sc *scored, buf *tallyBuf) {
	ne, ni, t := len(m.elems), len(m.items), c%numTypes
	sc.received[c] = received
	for len(add) > 0 {
		batch := add[:min(len(add), gatherBatch)]
		add = add[len(batch):]
		pos := buf.pos[:0]
		for _, i := range batch {
			r := &rs[i]
			if r.Incomplete {
				sc.incomplete[c]++
			}
			if !included[i] {
				continue
			}
			k := len(pos)
			copy(buf.ans[k*ni:(k+1)*ni], r.Answers)
			copy(buf.elem[k*ne:(k+1)*ne], elem[i*ne:(i+1)*ne])
			pos = append(pos, i)
		}
		for k, i := range pos {
			m.tallyOne(buf.ans[k*ni:(k+1)*ni], buf.elem[k*ne:(k+1)*ne], tab, c, t, i, sc, buf.itemS)
		}
	}
}

// tallyOne tallies one included member i of cell c (type t), with its
// answers ans and element scores es, into sc.
func (m *model) tallyOne(ans []byte, es []float64, tab [][256]float64, c, t, i int, sc *scored, itemS []float64) {
	sc.included[c]++
	for _, j := range m.exp {
		if a := ans[j]; m.items[j].types[t] && (a == Yes || a == No) {
			k := c*len(m.exp) + m.items[j].sub
			sc.prevN[k]++
			if a == Yes {
				sc.prevYes[k]++
			}
		}
	}
	for _, j := range m.text {
		if m.items[j].types[t] && ans[j] == 1 {
			sc.text[c*len(m.text)+m.items[j].sub]++
		}
	}
	any := false
	for e, x := range es {
		if math.IsNaN(x) {
			continue
		}
		any = true
		acc := sc.rel[c*len(es)+e]
		if acc == nil {
			continue
		}
		items := m.elemTyp[e][t]
		for _, j := range items {
			itemS[j] = tab[j][ans[j]]
		}
		acc.add(items, itemS)
	}
	if any {
		sc.groups[c] = append(sc.groups[c], i)
	}
}
