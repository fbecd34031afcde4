package analysis

import (
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
	resp    []int   // response indices, sorted by hour then ID
	hours   []int64 // submission hour of each
	cols    [][]byte
	words   int
	minSize int
}

// coaching finds coached-answering clusters per unit and type (spi-method §6)
// and appends a flag to every response of a flagged cluster.
func (m *model) coaching(rs []Response, flags [][]Flag) []Cluster {
	groups := m.coachGroups(rs)
	out := make([][]Cluster, len(groups))
	members := make([][][]int, len(groups))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range next {
				out[g], members[g] = m.searchGroup(rs, groups[g])
			}
		}()
	}
	for g := range groups {
		next <- g
	}
	close(next)
	wg.Wait()
	var all []Cluster
	for g := range groups {
		for c, cl := range out[g] {
			all = append(all, cl)
			if !cl.Flagged {
				continue
			}
			lowest := rs[members[g][c][0]].ID
			for _, i := range members[g][c] {
				lowest = min(lowest, rs[i].ID)
			}
			for _, i := range members[g][c] {
				flags[i] = append(flags[i], Flag{
					Code: FlagCoached,
					Evidence: fmt.Sprintf("in a cluster of %d of %d %s responses agreeing on ≥%.0f%% of ≥%d items within %d h (%s to %s); permutation baseline %.3g",
						cl.Size, cl.Responses, cl.Type, 100*m.s.CoachingAgreement, m.s.CoachingItems, cl.WindowHours,
						cl.First.Format("2006-01-02 15h"), cl.Last.Format("2006-01-02 15h"), cl.Baseline),
					Value:     float64(cl.Size),
					Threshold: cl.Baseline,
					Related:   lowest,
				})
			}
		}
	}
	return all
}

// coachGroups collects each unit-type's responses large enough to hold a cluster.
func (m *model) coachGroups(rs []Response) []*coachGroup {
	byKey := map[[2]int][]int{}
	for i, r := range rs {
		k := [2]int{m.unitIdx[r.Unit], typeIndex(r.Type)}
		byKey[k] = append(byKey[k], i)
	}
	keys := make([][2]int, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	var out []*coachGroup
	for _, k := range keys {
		idx := byKey[k]
		n := len(idx)
		minSize := max(m.s.CoachingMinSize, int(math.Ceil(m.s.CoachingMinShare*float64(n)-1e-9)))
		if n < minSize {
			continue
		}
		var cols [][]byte
		for _, it := range m.ordinal {
			if m.items[it].types[k[1]] {
				col := make([]byte, n)
				cols = append(cols, col)
			}
		}
		if len(cols) < m.s.CoachingItems {
			continue
		}
		sort.SliceStable(idx, func(a, b int) bool {
			ha, hb := rs[idx[a]].Hour, rs[idx[b]].Hour
			if !ha.Equal(hb) {
				return ha.Before(hb)
			}
			return rs[idx[a]].ID < rs[idx[b]].ID
		})
		g := &coachGroup{unit: rs[idx[0]].Unit, typ: k[1], resp: idx, cols: cols, minSize: minSize,
			words: (len(cols) + 7) / 8, hours: make([]int64, n)}
		for j, i := range idx {
			g.hours[j] = rs[i].Hour.Unix() / 3600
			c := 0
			for _, it := range m.ordinal {
				if !m.items[it].types[k[1]] {
					continue
				}
				if a := rs[i].Answers[it]; a != DontKnow {
					cols[c][j] = a
				}
				c++
			}
		}
		out = append(out, g)
	}
	return out
}

// searchGroup returns the clusters reaching the size threshold, with their
// members, flagged when larger than the permutation baseline.
func (m *model) searchGroup(rs []Response, g *coachGroup) ([]Cluster, [][]int) {
	n := len(g.resp)
	pack := make([]uint64, n*g.words)
	cnt := make([]int, n)
	g.pack(pack, cnt, g.cols)
	comps := m.components(g, pack, cnt)
	largest := 0
	for _, c := range comps {
		largest = max(largest, len(c))
	}
	if largest < g.minSize {
		return nil, nil
	}
	baseline := m.permutationBaseline(g, pack, cnt)
	var out []Cluster
	var members [][]int
	for _, c := range comps {
		if len(c) < g.minSize {
			continue
		}
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
			Unit: g.unit, Type: Types()[g.typ], Size: len(c), Responses: n, MinSize: g.minSize,
			Baseline: baseline, Permutations: m.s.CoachingPermutations, WindowHours: m.s.CoachingWindowHours,
			First: first.UTC(), Last: last.UTC(), Flagged: float64(len(c)) > baseline,
		})
		members = append(members, mem)
	}
	return out, members
}

// permutationBaseline is the CoachingQuantile of the largest cluster over
// seeded permutations shuffling each item's answers across the respondents.
func (m *model) permutationBaseline(g *coachGroup, pack []uint64, cnt []int) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d", g.unit, g.typ)
	rng := rand.New(rand.NewPCG(m.s.Seed, h.Sum64()))
	cols := make([][]byte, len(g.cols))
	for c := range cols {
		cols[c] = slices.Clone(g.cols[c])
	}
	sizes := make([]float64, m.s.CoachingPermutations)
	for p := range sizes {
		for _, col := range cols {
			rng.Shuffle(len(col), func(a, b int) { col[a], col[b] = col[b], col[a] })
		}
		g.pack(pack, cnt, cols)
		largest := 0
		for _, c := range m.components(g, pack, cnt) {
			largest = max(largest, len(c))
		}
		sizes[p] = float64(largest)
	}
	sort.Float64s(sizes)
	// the smallest value with at least the quantile's share of draws at or below it
	i := int(math.Ceil(m.s.CoachingQuantile*float64(len(sizes))-1e-9)) - 1
	return sizes[max(0, i)]
}

// pack writes each respondent's raw answers eight to a word (0 = missing) and counts them.
func (g *coachGroup) pack(pack []uint64, cnt []int, cols [][]byte) {
	clear(pack)
	clear(cnt)
	for c, col := range cols {
		w, shift := c/8, uint(c%8)*8
		for j, a := range col {
			if a != 0 {
				pack[j*g.words+w] |= uint64(a) << shift
				cnt[j]++
			}
		}
	}
}

// components joins respondents within the window whose answers agree and
// returns the connected groups (positions into g.resp, each sorted).
func (m *model) components(g *coachGroup, pack []uint64, cnt []int) [][]int {
	n := len(g.resp)
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	window := int64(m.s.CoachingWindowHours)
	minItems := m.s.CoachingItems
	slack := 1 - m.s.CoachingAgreement
	for i := range n {
		if cnt[i] < minItems {
			continue
		}
		a := pack[i*g.words : (i+1)*g.words]
		for j := i + 1; j < n && g.hours[j]-g.hours[i] <= window; j++ {
			if cnt[j] < minItems {
				continue
			}
			ri, rj := find(int32(i)), find(int32(j))
			if ri == rj {
				continue
			}
			maxDis := int(slack*float64(min(cnt[i], cnt[j])) + 1e-9)
			if agree(a, pack[j*g.words:(j+1)*g.words], maxDis, minItems, m.s.CoachingAgreement) {
				parent[ri] = rj
			}
		}
	}
	byRoot := map[int32][]int{}
	for i := range n {
		r := find(int32(i))
		byRoot[r] = append(byRoot[r], i)
	}
	out := make([][]int, 0, len(byRoot))
	for _, c := range byRoot {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

const (
	lo7 = 0x7f7f7f7f7f7f7f7f
	hi1 = 0x8080808080808080
)

// nonzero sets the high bit of every nonzero byte of v.
func nonzero(v uint64) uint64 { return (((v & lo7) + lo7) | v) & hi1 }

// agree reports whether two packed answer vectors agree on at least the
// share of the items both answered, over at least minItems such items; it
// stops as soon as more than maxDis disagreements are seen.
func agree(a, b []uint64, maxDis, minItems int, share float64) bool {
	common, dis := 0, 0
	for w := range a {
		present := nonzero(a[w]) & nonzero(b[w])
		dis += bits.OnesCount64(nonzero(a[w]^b[w]) & present)
		if dis > maxDis {
			return false
		}
		common += bits.OnesCount64(present)
	}
	return common >= minItems && float64(common-dis) >= share*float64(common)-1e-9
}
