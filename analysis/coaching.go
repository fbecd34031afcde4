package analysis

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// coachGroup is one unit-type's responses prepared for the cluster search.
type coachGroup struct {
	unit    string
	typ     int
	resp    []int    // response indices, sorted by hour then ID
	hours   []int64  // submission hour of each
	cols    [][]byte // raw answers by item, most diverse first; 0 = missing
	minSize int
}

// coaching finds coached-answering clusters per unit and type (spi-method §6)
// and appends a flag to every response of a flagged cluster. Groups are
// searched in parallel; each group's permutations have their own seed, so
// the result does not depend on scheduling.
func (m *model) coaching(rs []Response) ([]Cluster, map[string][]int, map[int][]Flag) {
	cellsOf := m.cells(rs)
	hit := m.coachHits(rs, cellsOf)
	cells := m.coachCells(rs, cellsOf, hit)
	flags := map[int][]Flag{} // by response index: few are flagged
	out := make([][]Cluster, len(cells))
	members := make([][][]int, len(cells))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s coachScratch
			for c := range next {
				if hit[c] {
					out[c], members[c] = m.mc.coachRecall(rs, c, cellsOf[c])
				} else if g := m.coachGroup(rs, c%numTypes, cells[c]); g != nil {
					out[c], members[c] = m.searchGroup(rs, g, &s)
				}
			}
		}()
	}
	for c := range cells {
		next <- c
	}
	close(next)
	wg.Wait()
	m.mc.coachStore(rs, hit, out, members)
	var all []Cluster
	byID := map[string][]int{}
	for g := range cells {
		for c, cl := range out[g] {
			lowest := rs[members[g][c][0]].ID
			for _, i := range members[g][c] {
				lowest = min(lowest, rs[i].ID)
				cl.Members = append(cl.Members, rs[i].ID)
			}
			slices.Sort(cl.Members)
			cl.ID = fmt.Sprintf("%s/%s/%d", cl.Unit, cl.Type, lowest)
			byID[cl.ID] = members[g][c]
			all = append(all, cl)
			if !cl.Flagged {
				continue
			}
			f := Flag{
				Code: FlagCoached,
				Evidence: fmt.Sprintf("in a cluster of %d of %d %s responses agreeing on ≥%.0f%% of ≥%d items within %d h (%s to %s); permutation baseline %.3g",
					cl.Size, cl.Responses, cl.Type, 100*m.s.CoachingAgreement, m.s.CoachingItems, cl.WindowHours,
					cl.First.Format("2006-01-02 15h"), cl.Last.Format("2006-01-02 15h"), cl.Baseline),
				Value:     float64(cl.Size),
				Threshold: cl.Baseline,
				Related:   lowest,
			}
			for _, i := range members[g][c] {
				flags[i] = append(flags[i], f)
			}
		}
	}
	return all, byID, flags
}

// coachKey orders a unit-type's responses by hour, then ID; row is the
// response's position in its cell.
type coachKey struct {
	hour, id int64
	i, row   int
}

// coachCell is a unit-type's responses with their raw ordinal answers
// (DontKnow as 0), row by row in response order.
type coachCell struct {
	keys  []coachKey
	items []int // ordinal items of the type
	rows  []byte
}

// coachCells copies each unit-type's ordinal answers row by row, in the
// cell's (ID) order, so the groups are built from local memory; cells the
// memo answers (hit) are left empty.
func (m *model) coachCells(rs []Response, members [][]int, hit []bool) []coachCell {
	var items [numTypes][]int
	for _, it := range m.ordinal {
		for t := range numTypes {
			if m.items[it].types[t] {
				items[t] = append(items[t], it)
			}
		}
	}
	cells := make([]coachCell, len(members))
	var memo []coachCell // the memo's cells, extended from m.extendedFrom
	if m.mc != nil {
		if m.extendedFrom < 0 || len(m.mc.mm.coachRows) != len(members) {
			m.mc.mm.coachRows = make([]coachCell, len(members))
		}
		memo = m.mc.mm.coachRows
	}
	ni := len(m.items)
	bufs := make([][]byte, workers())
	parallel(len(cells), func(w, c int) {
		if hit[c] {
			return
		}
		if bufs[w] == nil {
			bufs[w] = make([]byte, gatherBatch*ni)
		}
		cl := &cells[c]
		cl.items = items[c%numTypes]
		add := members[c]
		if memo != nil && memo[c].items != nil {
			// the cell's members are the memo's (at the same positions)
			// and those from m.extendedFrom: only these are read
			old := memo[c]
			add = make([]int, 0, len(members[c])-len(old.keys))
			for _, i := range members[c] {
				if i >= m.extendedFrom {
					add = append(add, i)
				}
			}
			// appended in place: only the memo holds a cell's rows (the
			// search copies them), and appending past a copy's end cost
			// ~8 ms per update in copies of the changed cells
			cl.keys, cl.rows = old.keys, old.rows
		} else {
			// with room for the members the next updates bring (memo)
			n := len(members[c])
			if memo != nil {
				n += n/8 + 16
			}
			cl.keys = make([]coachKey, 0, n)
			cl.rows = make([]byte, 0, n*len(cl.items))
		}
		// in batches gathered side by side first, as tallyCell does:
		// BenchmarkCompute's coachCells took 0.085 CPU-s per compute
		// instead of 0.16–0.20 (pprof, two runs of 4 computes each)
		for len(add) > 0 {
			batch := add[:min(len(add), gatherBatch)]
			add = add[len(batch):]
			for k, i := range batch {
				r := &rs[i]
				cl.keys = append(cl.keys, coachKey{r.Hour.Unix() / 3600, r.ID, i, len(cl.keys)})
				copy(bufs[w][k*ni:(k+1)*ni], r.Answers)
			}
			for k := range batch {
				ans := bufs[w][k*ni : (k+1)*ni]
				for _, it := range cl.items {
					a := ans[it]
					if a == DontKnow {
						a = 0
					}
					cl.rows = append(cl.rows, a)
				}
			}
		}
		if memo != nil {
			memo[c] = *cl
		}
	})
	return cells
}

// coachGroup prepares a unit-type's responses for the cluster search, or
// returns nil when no cluster could reach the size threshold. Items are
// ordered from the most to the least diverse answers, so the first word of
// the pair test rejects most pairs; agreement does not depend on the order.
func (m *model) coachGroup(rs []Response, t int, cl coachCell) *coachGroup {
	keys, items := cl.keys, cl.items
	n := len(keys)
	minSize := max(m.s.CoachingMinSize, int(math.Ceil(m.s.CoachingMinShare*float64(n)-1e-9)))
	if n < minSize || len(items) < m.s.CoachingItems {
		return nil
	}
	slices.SortFunc(keys, func(a, b coachKey) int {
		if a.hour != b.hour {
			return cmp.Compare(a.hour, b.hour)
		}
		return cmp.Compare(a.id, b.id)
	})
	g := &coachGroup{unit: rs[keys[0].i].Unit, typ: t, minSize: minSize,
		resp: make([]int, n), hours: make([]int64, n), cols: make([][]byte, len(items))}
	for x := range items {
		g.cols[x] = make([]byte, n)
	}
	L := len(items)
	for j, k := range keys {
		g.resp[j], g.hours[j] = k.i, k.hour
		row := cl.rows[k.row*L : (k.row+1)*L]
		for x, a := range row {
			g.cols[x][j] = a
		}
	}
	same := make([]float64, len(items)) // chance two answers agree, Σ p_v²
	var counts [256]int
	for x, col := range g.cols {
		clear(counts[:])
		answered := 0
		for _, a := range col {
			if a != 0 {
				counts[a]++
				answered++
			}
		}
		for _, c := range counts[1:] {
			if answered > 0 {
				same[x] += float64(c) * float64(c) / float64(answered) / float64(answered)
			}
		}
	}
	order := make([]int, len(items))
	for x := range order {
		order[x] = x
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(same[a], same[b]) })
	cols := make([][]byte, len(items))
	for x, o := range order {
		cols[x] = g.cols[o]
	}
	g.cols = cols
	return g
}

// searchGroup returns the clusters reaching the size threshold, with their
// members, flagged when larger than the permutation baseline. The
// permutations run only when the observed largest cluster reaches the
// threshold, since otherwise nothing could be flagged.
func (m *model) searchGroup(rs []Response, g *coachGroup, s *coachScratch) ([]Cluster, [][]int) {
	s.reset(g, g.cols)
	if m.link(g, s) < g.minSize {
		return nil, nil
	}
	comps := s.components(g.minSize)
	baseline := m.permutationBaseline(g, s)
	var out []Cluster
	var members [][]int
	for _, c := range comps {
		first, last := rs[g.resp[c[0]]].Hour, rs[g.resp[c[0]]].Hour
		mem := make([]int, len(c))
		for j, p := range c {
			h := rs[g.resp[p]].Hour
			if h.Before(first) {
				first = h
			}
			if h.After(last) {
				last = h
			}
			mem[j] = g.resp[p]
		}
		out = append(out, Cluster{
			Unit: g.unit, Type: Types()[g.typ], Size: len(c), Responses: len(g.resp), MinSize: g.minSize,
			Baseline: baseline, Permutations: m.s.CoachingPermutations, WindowHours: m.s.CoachingWindowHours,
			First: first.UTC(), Last: last.UTC(), Flagged: float64(len(c)) > baseline,
		})
		members = append(members, mem)
	}
	return out, members
}

// permutationBaseline is the CoachingQuantile of the largest cluster over
// seeded permutations of the submission hours among the unit-type's
// respondents (spi-method v2 §6). Every answer vector stays whole, so the
// correlation between items that honest respondents share stays in the
// baseline; only agreement concentrated in time exceeds it. Since the
// hours are kept in order, giving respondent perm[j] the j-th hour is the
// same as shuffling the hours among the respondents.
func (m *model) permutationBaseline(g *coachGroup, s *coachScratch) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d", g.unit, g.typ)
	seed := rand.New(rand.NewPCG(m.s.Seed, h.Sum64()))
	rng := wyrand(seed.Uint64())
	n := len(g.resp)
	cols := make([][]byte, len(g.cols))
	for x := range cols {
		cols[x] = make([]byte, n)
	}
	perm := make([]int32, n)
	for j := range perm {
		perm[j] = int32(j)
	}
	sizes := make([]float64, m.s.CoachingPermutations)
	for p := range sizes {
		rng.shuffle(perm)
		for x, col := range cols {
			src := g.cols[x]
			for j, from := range perm {
				col[j] = src[from]
			}
		}
		s.reset(g, cols)
		sizes[p] = float64(m.link(g, s))
	}
	sort.Float64s(sizes)
	// the smallest value with at least the quantile's share of draws at or below it
	i := int(math.Ceil(m.s.CoachingQuantile*float64(len(sizes))-1e-9)) - 1
	return sizes[max(0, i)]
}

// wyrand is a small fast generator for the permutations, seeded from PCG.
type wyrand uint64

func (w *wyrand) next() uint64 {
	*w += 0xa0761d6478bd642f
	hi, lo := mul64(uint64(*w), uint64(*w)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// shuffle is a Fisher–Yates shuffle drawing two 32-bit indices per 64-bit
// number; the multiply-shift bound has a bias below n/2³², negligible
// against the 1 % quantile it feeds.
func (w *wyrand) shuffle(col []int32) {
	i := len(col) - 1
	for ; i > 1; i -= 2 {
		r := w.next()
		j := int((r >> 32) * uint64(i+1) >> 32)
		col[i], col[j] = col[j], col[i]
		j = int((r & 0xffffffff) * uint64(i) >> 32)
		col[i-1], col[j] = col[j], col[i-1]
	}
	if i == 1 {
		j := int((w.next() >> 32) * 2 >> 32)
		col[1], col[j] = col[j], col[1]
	}
}

// mul64 is the 128-bit product of a and b.
func mul64(a, b uint64) (hi, lo uint64) { return bits.Mul64(a, b) }
