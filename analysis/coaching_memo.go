package analysis

import (
	"cmp"
	"slices"
)

// coachHits reports the cells whose coaching search the memo holds for the
// same content (the search depends on the cell's responses and the
// settings only, not on their positions).
func (m *model) coachHits(rs []Response, members [][]int) []bool {
	hit := make([]bool, len(members))
	if m.mc == nil {
		return hit
	}
	keys := make([]uint64, len(members))
	parallel(len(members), func(_, c int) {
		k := uint64(len(members[c]))
		for _, i := range members[c] {
			k = mix(k, m.mc.h[i])
		}
		keys[c] = k
		old, ok := m.mc.mm.coach[c]
		hit[c] = ok && m.mc.valid && old.key == k
	})
	m.mc.coachKeys = keys
	return hit
}

// coachRecall returns a cell's memoised clusters with their members as
// positions of this call.
func (mc *memoCall) coachRecall(rs []Response, c int, members []int) ([]Cluster, [][]int) {
	old := mc.mm.coach[c]
	out := make([][]int, len(old.members))
	for x, ids := range old.members {
		out[x] = make([]int, len(ids))
		for j, id := range ids {
			k, _ := slices.BinarySearchFunc(members, id, func(i int, id int64) int { return cmp.Compare(rs[i].ID, id) })
			out[x][j] = members[k]
		}
	}
	return old.clusters, out
}

// coachStore memoises the cells searched in this call.
func (mc *memoCall) coachStore(rs []Response, hit []bool, out [][]Cluster, members [][][]int) {
	if mc == nil {
		return
	}
	for c := range out {
		if hit[c] {
			continue
		}
		ids := make([][]int64, len(members[c]))
		for x, mem := range members[c] {
			for _, i := range mem {
				ids[x] = append(ids[x], rs[i].ID)
			}
		}
		mc.mm.coach[c] = coachMemo{key: mc.coachKeys[c], clusters: out[c], members: ids}
	}
}
