package analysis

import "math/bits"

// coachScratch holds the reusable buffers of one cluster search. Answers are
// stored in word planes (plane w holds items 8w..8w+7 of every respondent) so
// the first-word test of the pair loop reads memory in order.
type coachScratch struct {
	n, words int
	pack     []uint64 // raw answers eight to a word, 0 = missing; plane-major
	nz       []uint64 // high bit set for every answered item; plane-major
	cnt      []int32  // items answered
	maxDis   []int32  // disagreements a pair with this respondent may have; −1 = too few items
	parent   []int32
	size     []int32
}

func (s *coachScratch) reset(n, words int) {
	s.n, s.words = n, words
	s.pack, s.nz = resize(s.pack, n*words), resize(s.nz, n*words)
	s.cnt, s.maxDis = resize(s.cnt, n), resize(s.maxDis, n)
	s.parent, s.size = resize(s.parent, n), resize(s.size, n)
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

// packColumn writes item c's answers into the packed vectors.
func (s *coachScratch) packColumn(c int, col []byte) {
	off, shift := (c/8)*s.n, uint(c%8)*8
	pack, nz := s.pack[off:off+s.n], s.nz[off:off+s.n]
	for j, a := range col {
		if a != 0 {
			pack[j] |= uint64(a) << shift
			nz[j] |= 0x80 << shift
			s.cnt[j]++
		}
	}
}

func (s *coachScratch) find(x int32) int32 {
	for s.parent[x] != x {
		s.parent[x] = s.parent[s.parent[x]]
		x = s.parent[x]
	}
	return x
}

// link joins respondents submitted within the window whose answers agree
// (union by size) and returns the largest cluster's size. Pairs are visited
// in hour order only inside the window, a pair is dropped when its first
// word already holds too many disagreements, and pairs already joined are
// skipped.
func (m *model) link(g *coachGroup, s *coachScratch) int {
	n := s.n
	minItems := int32(m.s.CoachingItems)
	slack := 1 - m.s.CoachingAgreement
	for i := range n {
		s.parent[i], s.size[i] = int32(i), 1
		s.maxDis[i] = int32(slack*float64(s.cnt[i]) + 1e-9)
		if s.cnt[i] < minItems {
			s.maxDis[i] = -1
		}
	}
	window := int64(m.s.CoachingWindowHours)
	p0, n0, maxDis, hours := s.pack[:n], s.nz[:n], s.maxDis[:n], g.hours[:n]
	largest, end := 1, 0
	for i := range n {
		mdi := maxDis[i]
		if mdi < 0 {
			continue
		}
		for end < n && hours[end]-hours[i] <= window {
			end++
		}
		a0, na0 := p0[i], n0[i]
		for j := i + 1; j < end; j++ {
			d0 := int32(bits.OnesCount64(nonzero(a0^p0[j]) & na0 & n0[j]))
			if d0 > mdi {
				continue
			}
			md := min(mdi, maxDis[j])
			if d0 > md {
				continue
			}
			ri, rj := s.find(int32(i)), s.find(int32(j))
			if ri == rj || !s.agree(i, j, int(md), int(minItems), m.s.CoachingAgreement) {
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
func (s *coachScratch) agree(i, j, maxDis, minItems int, share float64) bool {
	common, dis := 0, 0
	for off := 0; off < len(s.pack); off += s.n {
		present := s.nz[off+i] & s.nz[off+j]
		dis += bits.OnesCount64(nonzero(s.pack[off+i]^s.pack[off+j]) & present)
		if dis > maxDis {
			return false
		}
		common += bits.OnesCount64(present)
	}
	return common >= minItems && float64(common-dis) >= share*float64(common)-1e-9
}

// components lists the clusters of at least minSize respondents (positions
// into the group, ascending), ordered by their first member.
func (s *coachScratch) components(minSize int) [][]int {
	byRoot := map[int32]int{}
	var out [][]int
	for i := range s.n {
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
