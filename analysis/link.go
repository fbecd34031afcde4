package analysis

import "math/bits"

// coachScratch holds the reusable buffers of one cluster search.
type coachScratch struct {
	cols   [][]byte // the answers searched, by item
	w0     []uint64 // the first eight items of every respondent, one byte each
	nz0    []uint64 // high bit set for every answered item of the first word
	parent []int32
	size   []int32
}

// reset points the scratch at cols and packs every respondent's first eight items.
func (s *coachScratch) reset(g *coachGroup, cols [][]byte) {
	n := len(g.resp)
	s.cols = cols
	s.w0, s.nz0 = resize(s.w0, n), resize(s.nz0, n)
	s.parent, s.size = resize(s.parent, n), resize(s.size, n)
	for x, col := range cols[:min(8, len(cols))] {
		shift := uint(8 * x)
		for j, a := range col {
			s.w0[j] |= uint64(a) << shift
		}
	}
	for j, v := range s.w0 {
		s.nz0[j] = nonzero(v)
	}
}

// resize returns b with length l, zeroed, reusing its storage when it can.
func resize[T any](b []T, l int) []T {
	if cap(b) < l {
		return make([]T, l)
	}
	b = b[:l]
	clear(b)
	return b
}

func (s *coachScratch) find(x int32) int32 {
	for s.parent[x] != x {
		s.parent[x] = s.parent[s.parent[x]]
		x = s.parent[x]
	}
	return x
}

// link joins respondents submitted within the window whose answers agree
// (union by size) and returns the largest cluster's size. Respondents are in
// hour order, so each one is compared only with the later ones inside the
// window. A pair is dropped when its first eight items (the most diverse)
// already disagree more often than any pair may (1 − share of all items);
// pairs already joined are skipped; the rest are checked exactly.
func (m *model) link(g *coachGroup, s *coachScratch) int {
	n := len(g.resp)
	for i := range n {
		s.parent[i], s.size[i] = int32(i), 1
	}
	minItems, share := m.s.CoachingItems, m.s.CoachingAgreement
	dmax := int((1-share)*float64(len(s.cols)) + 1e-9)
	window := int64(m.s.CoachingWindowHours)
	w0, nz0, hours := s.w0[:n], s.nz0[:n], g.hours[:n]
	largest, end := 1, 0
	for i := range n {
		for end < n && hours[end]-hours[i] <= window {
			end++
		}
		a0, na0 := w0[i], nz0[i]
		for j := i + 1; j < end; j++ {
			if bits.OnesCount64(nonzero(a0^w0[j])&na0&nz0[j]) > dmax {
				continue
			}
			ri, rj := s.find(int32(i)), s.find(int32(j))
			if ri == rj || !agree(s.cols, i, j, dmax, minItems, share) {
				continue
			}
			if s.size[ri] < s.size[rj] {
				ri, rj = rj, ri
			}
			s.parent[rj] = ri
			s.size[ri] += s.size[rj]
			largest = max(largest, int(s.size[ri]))
		}
	}
	return largest
}

// agree reports whether respondents i and j agree on at least the share of
// the items both answered, over at least minItems such items; it stops as
// soon as more than maxDis disagreements are seen.
func agree(cols [][]byte, i, j, maxDis, minItems int, share float64) bool {
	common, dis := 0, 0
	for _, col := range cols {
		a, b := col[i], col[j]
		if a == 0 || b == 0 {
			continue
		}
		common++
		if a != b {
			if dis++; dis > maxDis {
				return false
			}
		}
	}
	return common >= minItems && float64(common-dis) >= share*float64(common)-1e-9
}

// components lists the clusters of at least minSize respondents (positions
// into the group, ascending), ordered by their first member.
func (s *coachScratch) components(minSize int) [][]int {
	byRoot := map[int32]int{}
	var out [][]int
	for i := range s.parent {
		r := s.find(int32(i))
		if int(s.size[r]) < minSize {
			continue
		}
		k, ok := byRoot[r]
		if !ok {
			k = len(out)
			byRoot[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}

const (
	lo7 = 0x7f7f7f7f7f7f7f7f
	hi1 = 0x8080808080808080
)

// nonzero sets the high bit of every nonzero byte of v.
func nonzero(v uint64) uint64 { return (((v & lo7) + lo7) | v) & hi1 }
